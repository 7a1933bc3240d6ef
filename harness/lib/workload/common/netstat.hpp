#pragma once
// /proc/net/netstat and /proc/net/snmp: each group is two lines, its counter names and then their
// values, both prefixed "Group:" ("TcpExt: SyncookiesSent ... PFMemallocDrop ..."). Counters are
// returned as "Group.Name" ("TcpExt.PFMemallocDrop"); which exist depends on the kernel, so a
// missing one is absent, never 0.
//
// The text comes from the guest kernel: parsing is total and bounded like parse_vmstat (a value
// that is not a 64-bit decimal, a names line without its values line, or a count mismatch skips
// the group and is counted; at most k_max_vmstat_counters counters are kept).

#include <string_view>

#include "workload/common/vmstat.hpp"

namespace numalab::workload {

VmstatCounters parse_netstat(std::string_view text);

}  // namespace numalab::workload
