#include "link/hello.hpp"

#include <sys/utsname.h>
#include <time.h>

#include "workload/common/sysfs_topology.hpp"

namespace numalab::guest {

double seconds_since_boot() {
  timespec ts{};
  ::clock_gettime(CLOCK_BOOTTIME, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

agent::Hello collect_hello(const std::filesystem::path& root, std::vector<std::string> notes) {
  agent::Hello h;
  struct utsname u {};
  if (::uname(&u) == 0) {
    h.kernel_release = u.release;
    h.kernel_version = u.version;
  }
  if (auto t = workload::read_sysfs_topology(root))
    h.topology = std::move(*t);
  else
    notes.push_back("topology: " + t.error());
  if (auto cpus = workload::read_online_cpus(root))
    h.cpus_online = static_cast<int>(cpus->size());
  else
    notes.push_back("cpus_online: " + cpus.error());
  if (auto mem = workload::read_mem_total_kb(root))
    h.mem_total_kb = *mem;
  else
    notes.push_back("mem_total_kb: " + mem.error());
  if (auto up = workload::read_uptime_s(root))
    h.uptime_s = *up;
  else
    h.uptime_s = seconds_since_boot();
  h.notes = std::move(notes);
  return h;
}

}  // namespace numalab::guest
