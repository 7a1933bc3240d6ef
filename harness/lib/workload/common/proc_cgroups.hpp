#pragma once
// /proc/cgroups: one line per controller, "name hierarchy num_cgroups enabled", after a header
// line starting with '#':
//   #subsys_name    hierarchy       num_cgroups     enabled
//   cpuset  3       5       1
// hierarchy is 0 for the cgroup v2 hierarchy (or none); num_cgroups counts the controller's
// cgroups in its hierarchy, the root included, until the kernel has freed the removed ones.

#include <optional>
#include <string>
#include <string_view>

namespace numalab::workload {

struct ControllerLine {
  int hierarchy = 0;
  int num_cgroups = 0;
  bool enabled = false;

  bool operator==(const ControllerLine&) const = default;
};

// The line of `controller`; nullopt when it is absent or malformed.
std::optional<ControllerLine> proc_cgroups_line(std::string_view text, std::string_view controller);

// A task's cgroups, /proc/PID/cgroup: one line per hierarchy, "ID:CONTROLLERS:PATH"; the cgroup v2
// hierarchy's line is "0::/numalab-a". Its path ("/numalab-a"), or nullopt when there is no such
// line (or the text is over 16 KiB).
std::optional<std::string> unified_cgroup_path(std::string_view proc_pid_cgroup);

}  // namespace numalab::workload
