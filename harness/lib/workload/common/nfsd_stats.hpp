#pragma once
// The NFS server's counters, /proc/net/rpc/nfsd, as Linux 6.1 writes them:
//   rc 0 6 24                      reply cache: hits misses nocache
//   fh 0 0 0 0 0                   stale file handles...
//   io 1048576 4096                bytes read, bytes written
//   th 8 0 0.000 ...               nfsd threads
//   net 30 0 30 1                  packets, udp, tcp, tcp connections
//   rpc 30 0 0 0 0                 calls, bad calls (bad format + bad auth + bad client), ...
//   proc3 22 0 1 2 ...             procedure count, then one counter per NFSv3 procedure
//   proc4 2 1 29                   NULL and COMPOUND calls of NFSv4
// Each line is optional: an absent counter stays nullopt (recorded as absent, never as 0). The text
// comes from the guest kernel: parsing is total and reads a bounded number of lines.

#include <cstdint>
#include <optional>
#include <string_view>

namespace numalab::workload {

struct NfsdStats {
  std::optional<std::uint64_t> rpc_calls;
  std::optional<std::uint64_t> rpc_bad_calls;
  std::optional<std::uint64_t> bytes_read;     // io: what clients read from the server
  std::optional<std::uint64_t> bytes_written;  // io: what clients wrote to it
  std::optional<std::uint64_t> threads;
  std::optional<std::uint64_t> tcp_connections;
  std::optional<std::uint64_t> v3_calls;  // sum of proc3's counters
  std::optional<std::uint64_t> v4_calls;  // sum of proc4's counters

  bool operator==(const NfsdStats&) const = default;
};

NfsdStats parse_nfsd_stats(std::string_view text);

}  // namespace numalab::workload
