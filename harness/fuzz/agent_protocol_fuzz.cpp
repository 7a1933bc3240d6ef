// Fuzzes what the host decodes from an untrusted guest: agent lines and the plan codec.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agent/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  numalab::agent::LineAssembler lines(4096);
  for (const auto& line : lines.feed(bytes)) {
    if (auto m = numalab::agent::decode_guest_message(line)) {
      // Whatever decodes must encode and decode to the same message.
      auto again = numalab::agent::decode_guest_message(numalab::agent::encode(*m));
      if (!again || !(*again == *m)) __builtin_trap();
    }
    if (auto p = numalab::agent::decode_plan(line)) (void)numalab::agent::encode(*p);
  }
  return 0;
}
