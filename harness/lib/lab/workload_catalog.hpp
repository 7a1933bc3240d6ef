#pragma once
// The workloads a lab file may name, and the parameters each accepts. The lab parser validates
// [[workload]] tables against it; the guest agent implements the same names.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalab::lab {

// machine: the name of another lab machine, which must share a [[network]] with this one and run a
// workload that provides a service; this machine's workloads then start once that service is ready.
enum class ParamType { string, integer, number, boolean, size, duration, machine };

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::string;
  std::vector<std::string> choices;  // for strings: the allowed values; empty means any
  std::string help;
  bool required = false;  // a [[workload]] table without it is an error
};

struct WorkloadSpec {
  std::string name;
  std::string summary;
  std::vector<ParamSpec> params;
};

const std::vector<WorkloadSpec>& workload_catalog();
const WorkloadSpec* find_workload(std::string_view name);

// The service a workload provides to other machines ("nfs" for nfs-server), or "" when none: the
// workload sends `ready` once it serves and keeps serving until the host sends `release`.
std::string_view provided_service(std::string_view workload);

}  // namespace numalab::lab
