#include "workload/common/net_address.hpp"

#include <cctype>

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && proc_text::is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && proc_text::is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<Ipv4> parse_ipv4(std::string_view text) {
  Ipv4 out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto dot = text.find('.');
    const bool last = i + 1 == out.size();
    if (last != (dot == std::string_view::npos)) return std::nullopt;
    auto part = text.substr(0, dot);
    if (part.empty() || part.size() > 3) return std::nullopt;
    auto v = proc_text::to_unsigned<unsigned>(part);
    if (!v || *v > 255) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(*v);
    text.remove_prefix(last ? text.size() : dot + 1);
  }
  return out;
}

std::string ipv4_text(const Ipv4& a) {
  return std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." +
         std::to_string(a[3]);
}

std::optional<Ipv4> netmask_from_prefix(int prefix) {
  if (prefix < 0 || prefix > 32) return std::nullopt;
  const std::uint32_t bits = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return Ipv4{static_cast<std::uint8_t>(bits >> 24), static_cast<std::uint8_t>(bits >> 16),
              static_cast<std::uint8_t>(bits >> 8), static_cast<std::uint8_t>(bits)};
}

std::optional<std::string> normalise_mac(std::string_view text) {
  text = trimmed(text);
  if (text.size() != 17) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i % 3 == 2) {
      if (out[i] != ':') return std::nullopt;
      continue;
    }
    if (hex_digit(out[i]) < 0) return std::nullopt;
    out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
  }
  return out;
}

bool same_mac(std::string_view a, std::string_view b) {
  auto na = normalise_mac(a);
  auto nb = normalise_mac(b);
  return na && nb && *na == *nb;
}

}  // namespace numalab::workload
