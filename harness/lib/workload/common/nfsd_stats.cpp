#include "workload/common/nfsd_stats.hpp"

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

constexpr std::size_t k_max_lines = 64;
constexpr std::size_t k_max_procedures = 128;

// "proc3 22 0 1 2 ...": the declared count of counters, then that many counters; their sum.
std::optional<std::uint64_t> procedure_sum(std::string_view rest) {
  auto count = proc_text::to_unsigned(proc_text::next_word(rest));
  if (!count || *count > k_max_procedures) return std::nullopt;
  std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < *count; ++i) {
    auto v = proc_text::to_unsigned(proc_text::next_word(rest));
    if (!v) return std::nullopt;
    sum += *v;
  }
  return sum;
}

// The index-th word of rest (0 is the first after the key) as a number.
std::optional<std::uint64_t> field(std::string_view rest, std::size_t index) {
  std::string_view word;
  for (std::size_t i = 0; i <= index; ++i) word = proc_text::next_word(rest);
  return proc_text::to_unsigned(word);
}

}  // namespace

NfsdStats parse_nfsd_stats(std::string_view text) {
  NfsdStats s;
  for (std::size_t n = 0; n < k_max_lines && !text.empty(); ++n) {
    std::string_view rest = proc_text::next_line(text);
    const std::string_view key = proc_text::next_word(rest);
    if (key == "rpc") {
      s.rpc_calls = field(rest, 0);
      s.rpc_bad_calls = field(rest, 1);
    } else if (key == "io") {
      s.bytes_read = field(rest, 0);
      s.bytes_written = field(rest, 1);
    } else if (key == "th") {
      s.threads = field(rest, 0);
    } else if (key == "net") {
      s.tcp_connections = field(rest, 3);
    } else if (key == "proc3") {
      s.v3_calls = procedure_sum(rest);
    } else if (key == "proc4") {
      s.v4_calls = procedure_sum(rest);
    }
  }
  return s;
}

}  // namespace numalab::workload
