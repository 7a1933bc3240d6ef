#pragma once
// The mounts a process sees, /proc/PID/mountinfo (show_mountinfo in fs/proc_namespace.c), one line
// per mount in mount order:
//   36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
// (mount id, parent id, device, root, mount point, options, optional fields up to "-", then the
// file system type, the source and the super block's options). Paths are escaped like
// /proc/swaps' (space, tab, newline and backslash as \ooo octal).
//
// The text comes from the guest kernel: parsing is total and bounded; malformed lines are skipped.

#include <string>
#include <string_view>
#include <vector>

namespace numalab::workload {

inline constexpr std::size_t k_max_mounts = 512;

struct MountEntry {
  std::string path;           // the mount point, unescaped
  std::string type;           // "cgroup2", "tmpfs", "nfs4"
  std::string source;         // "cgroup2", "10.0.2.2:/export"
  std::string super_options;  // "rw,cpuset" for a cgroup v1 hierarchy with the cpuset controller

  bool operator==(const MountEntry&) const = default;
};

// At most k_max_mounts, in the kernel's (mount) order.
std::vector<MountEntry> parse_mountinfo(std::string_view text);

// \ooo escapes undone (seq_file's mangle): "\040" is a space. A backslash not followed by three
// octal digits stays as it is.
std::string unescape_octal(std::string_view word);

}  // namespace numalab::workload
