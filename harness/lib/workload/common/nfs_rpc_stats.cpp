#include "workload/common/nfs_rpc_stats.hpp"

#include <array>

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

constexpr std::size_t k_max_lines = 16;  // net, rpc, then one line per protocol version

}  // namespace

std::expected<RpcClientStats, std::string> parse_rpc_client_stats(std::string_view text) {
  for (std::size_t n = 0; n < k_max_lines && !text.empty(); ++n) {
    std::string_view rest = proc_text::next_line(text);
    if (proc_text::next_word(rest) != "rpc") continue;
    std::array<std::uint64_t, 3> v{};
    for (auto& slot : v) {
      std::string_view word = proc_text::next_word(rest);
      auto value = proc_text::to_unsigned(word);
      if (!value) return std::unexpected("rpc line: bad counter \"" + std::string(word.substr(0, 32)) + "\"");
      slot = *value;
    }
    return RpcClientStats{v[0], v[1], v[2]};
  }
  return std::unexpected("no \"rpc\" line");
}

}  // namespace numalab::workload
