#include "workload/common/psi.hpp"

#include <charconv>
#include <cmath>

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

constexpr std::size_t k_max_lines = 16;

std::optional<double> percentage(std::string_view word) {
  double v = 0;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
  if (word.empty() || ec != std::errc{} || end != word.data() + word.size() || !std::isfinite(v) || v < 0 ||
      v > 100)
    return std::nullopt;
  return v;
}

// "avg10=0.00 avg60=0.00 avg300=0.00 total=0": all four, each once.
std::expected<PressureLine, std::string> parse_fields(std::string_view rest) {
  PressureLine out;
  unsigned seen = 0;
  for (auto word = proc_text::next_word(rest); !word.empty(); word = proc_text::next_word(rest)) {
    auto eq = word.find('=');
    std::string_view key = word.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view{} : word.substr(eq + 1);
    std::optional<double> avg;
    double* slot = key == "avg10"    ? &out.avg10
                   : key == "avg60"  ? &out.avg60
                   : key == "avg300" ? &out.avg300
                                     : nullptr;
    unsigned bit = key == "avg10"    ? 1u
                   : key == "avg60"  ? 2u
                   : key == "avg300" ? 4u
                   : key == "total"  ? 8u
                                     : 0u;
    if (bit == 0) continue;  // a field a later kernel added
    if (seen & bit) return std::unexpected("\"" + std::string(key) + "\" twice");
    seen |= bit;
    if (slot) {
      avg = percentage(value);
      if (!avg)
        return std::unexpected("bad " + std::string(key) + " \"" + std::string(value.substr(0, 32)) + "\"");
      *slot = *avg;
    } else {
      auto total = proc_text::to_unsigned(value);
      if (!total) return std::unexpected("bad total \"" + std::string(value.substr(0, 32)) + "\"");
      out.total_us = *total;
    }
  }
  if (seen != 15u) return std::unexpected("a line lacks avg10, avg60, avg300 or total");
  return out;
}

}  // namespace

std::expected<Pressure, std::string> parse_pressure(std::string_view text) {
  std::optional<PressureLine> some, full;
  for (std::size_t n = 0; n < k_max_lines && !text.empty(); ++n) {
    std::string_view rest = proc_text::next_line(text);
    std::string_view kind = proc_text::next_word(rest);
    if (kind != "some" && kind != "full") continue;
    auto line = parse_fields(rest);
    if (!line) return std::unexpected(std::string(kind) + " line: " + line.error());
    (kind == "some" ? some : full) = *line;
  }
  if (!some) return std::unexpected("no \"some\" line");
  return Pressure{*some, full};
}

}  // namespace numalab::workload
