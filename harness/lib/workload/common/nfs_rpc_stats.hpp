#pragma once
// The NFS client's RPC counters, /proc/net/rpc/nfs (rpc_proc_show in net/sunrpc/stats.c):
//   net <packets> <udp> <tcp> <tcp connections>
//   rpc <calls> <retransmissions> <credential refreshes>
//   proc3 22 <a count per procedure> ...
// The counters are the kernel's 32-bit unsigned ints; they count every NFS mount of the guest. The
// file exists once the NFS client is loaded (built in, or the nfs module).
//
// The text comes from the guest kernel: parsing is total and bounded.

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace numalab::workload {

struct RpcClientStats {
  std::uint64_t calls = 0;
  std::uint64_t retransmissions = 0;
  std::uint64_t auth_refreshes = 0;

  bool operator==(const RpcClientStats&) const = default;
};

// The "rpc" line; an error when it is missing or not three decimal numbers.
std::expected<RpcClientStats, std::string> parse_rpc_client_stats(std::string_view text);

}  // namespace numalab::workload
