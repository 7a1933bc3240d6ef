// Fuzzes the lab file parser: any text gives a lab or an error, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lab/lab.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto lab =
      numalab::lab::parse_lab_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.toml");
  if (!lab && lab.error().message.empty()) __builtin_trap();
  return 0;
}
