#pragma once
// IPv4 addresses, netmasks and MAC addresses as the plan writes them ("10.0.2.15", 24,
// "52:54:00:12:34:56"), for the guest's network set-up. Total: anything malformed is nullopt.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace numalab::workload {

using Ipv4 = std::array<std::uint8_t, 4>;  // in network order: "10.0.2.15" is {10, 0, 2, 15}

// Four decimal octets 0-255 separated by dots, nothing else.
std::optional<Ipv4> parse_ipv4(std::string_view text);
std::string ipv4_text(const Ipv4& a);

// The netmask of a prefix length 0 to 32: 24 gives 255.255.255.0.
std::optional<Ipv4> netmask_from_prefix(int prefix);

// Six two-digit hex bytes separated by ':', lowercased ("52:54:00:AB:cd:01" -> "52:54:00:ab:cd:01").
// Surrounding blanks (sysfs's trailing newline) are ignored.
std::optional<std::string> normalise_mac(std::string_view text);

// Whether two textual MACs name the same address; false if either is malformed.
bool same_mac(std::string_view a, std::string_view b);

}  // namespace numalab::workload
