#include "kernel/kconfig_check.hpp"

#include <charconv>
#include <cstdint>
#include <optional>

namespace numalab::kernel {

namespace {

// Decimal or 0x-hex as a number, with its base; nullopt for anything else.
std::optional<std::pair<std::uint64_t, int>> as_number(std::string_view text) {
  int base = 10;
  bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  if (text.starts_with("0x") || text.starts_with("0X")) {
    base = 16;
    text.remove_prefix(2);
  }
  std::uint64_t n = 0;
  auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), n, base);
  if (text.empty() || err != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return std::pair{negative ? ~n + 1 : n, base};
}

bool same_value(const KconfigValue& a, const KconfigValue& b) {
  if (a == b) return true;
  auto x = as_number(a.text);
  return x && x == as_number(b.text);
}

std::string shown(std::string_view name, const KconfigValue& value) {
  return value.is_set() ? kconfig_line(name, value) : "'" + kconfig_line(name, value) + "'";
}

}  // namespace

std::vector<DroppedOption> dropped_options(const KconfigSettings& requested,
                                           const KconfigSettings& resolved) {
  std::vector<DroppedOption> dropped;
  for (const auto& [name, asked] : requested.options) {
    KconfigValue got = resolved.value_of(name);
    if (!same_value(asked.value, got)) dropped.push_back({name, asked, std::move(got), ""});
  }
  return dropped;
}

std::string describe(const DroppedOption& dropped) {
  std::string text;
  if (!dropped.requested.where.empty()) text = dropped.requested.where + ": ";
  text += shown(dropped.name, dropped.requested.value) + " requested, ";
  text += dropped.resolved.is_set() ? kconfig_line(dropped.name, dropped.resolved) + " in the result"
                                    : "not set in the result";
  if (!dropped.hint.empty()) text += " (" + dropped.hint + ")";
  return text;
}

util::Error dropped_options_error(const std::vector<DroppedOption>& dropped) {
  std::string message =
      "make olddefconfig did not keep " + std::to_string(dropped.size()) +
      (dropped.size() == 1 ? " option" : " options") +
      " the config fragments asked for; change the fragments or what the options depend on:";
  for (const auto& d : dropped) message += "\n  " + describe(d);
  return util::Error{util::ErrorKind::bad_input, std::move(message)};
}

}  // namespace numalab::kernel
