#pragma once
// A workload's metrics as the agent reports them: a value, or a counter this kernel does not have
// (recorded as absent by the host, never as 0). The workload's name is filled in by the plan loop.

#include <string>
#include <utility>

#include "agent/protocol.hpp"

namespace numalab::guest {

inline agent::Metric metric(std::string name, double value, std::string unit, model::Better better) {
  return {"", std::move(name), value, std::move(unit), better, false};
}

inline agent::Metric absent_metric(std::string name, std::string unit, model::Better better) {
  return {"", std::move(name), 0, std::move(unit), better, true};
}

}  // namespace numalab::guest
