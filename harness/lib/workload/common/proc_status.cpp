#include "workload/common/proc_status.hpp"

#include <optional>

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

constexpr std::string_view k_voluntary = "voluntary_ctxt_switches";
constexpr std::string_view k_nonvoluntary = "nonvoluntary_ctxt_switches";

}  // namespace

std::expected<ContextSwitches, std::string> parse_context_switches(std::string_view status) {
  if (status.size() > k_max_proc_status_bytes) return std::unexpected("longer than 16 KiB");
  std::optional<std::uint64_t> voluntary;
  std::optional<std::uint64_t> nonvoluntary;
  while (!status.empty()) {
    std::string_view line = proc_text::next_line(status);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = line.substr(0, colon);
    std::optional<std::uint64_t>* slot = key == k_voluntary      ? &voluntary
                                         : key == k_nonvoluntary ? &nonvoluntary
                                                                 : nullptr;
    if (!slot || slot->has_value()) continue;  // the first of each counts
    std::string_view rest = line.substr(colon + 1);
    auto value = proc_text::to_unsigned(proc_text::next_word(rest));
    if (!value || !proc_text::next_word(rest).empty())
      return std::unexpected("bad " + std::string(key) + ": \"" + std::string(line.substr(0, 80)) + "\"");
    *slot = *value;
  }
  if (!voluntary) return std::unexpected("no " + std::string(k_voluntary));
  if (!nonvoluntary) return std::unexpected("no " + std::string(k_nonvoluntary));
  return ContextSwitches{*voluntary, *nonvoluntary};
}

std::optional<std::string> status_field(std::string_view status, std::string_view key) {
  if (status.size() > k_max_proc_status_bytes) return std::nullopt;
  while (!status.empty()) {
    std::string_view line = proc_text::next_line(status);
    if (line.size() <= key.size() || !line.starts_with(key) || line[key.size()] != ':') continue;
    std::string_view value = line.substr(key.size() + 1);
    while (!value.empty() && proc_text::is_space(value.front())) value.remove_prefix(1);
    while (!value.empty() && proc_text::is_space(value.back())) value.remove_suffix(1);
    return std::string(value);
  }
  return std::nullopt;
}

}  // namespace numalab::workload
