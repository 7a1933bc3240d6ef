#pragma once
// The host's end of the agent's port: untrusted bytes in, bounded and rate-limited lines, decoded
// totally into messages (or an error string); the plan and the release out, as lines.

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "agent/protocol.hpp"
#include "lab/lab.hpp"
#include "run/lab_links.hpp"

namespace numalab::run {

class AgentLink {
 public:
  struct Received {
    std::string line;  // as it came, for the transcript
    std::expected<agent::GuestMessage, std::string> message;
  };

  // The complete lines these bytes finish that the rate limit lets through (500 a second, bursts
  // of 2000), decoded. `now_s`: seconds since the machine started.
  std::vector<Received> feed(std::string_view bytes, double now_s);
  std::uint64_t refused() const { return rate_.refused(); }
  std::uint64_t overlong() const { return lines_.dropped_lines(); }

 private:
  agent::LineAssembler lines_;
  agent::RateLimiter rate_{500, 2000};
};

// The plan a machine's agent gets: the declared topology, its workloads, its NICs and peers.
agent::Plan plan_for(const lab::Machine& machine, const std::vector<lab::Workload>& workloads,
                     const MachineLinks& links);

}  // namespace numalab::run
