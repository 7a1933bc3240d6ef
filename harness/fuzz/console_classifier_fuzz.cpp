// Fuzzes the console classifier with whatever a guest kernel might print.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "monitor/console_classifier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  numalab::monitor::ConsoleClassifier c;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Feed in two pieces so lines that span reads are exercised.
  c.feed(bytes.substr(0, size / 2));
  c.feed(bytes.substr(size / 2));
  if (c.reports().size() > numalab::monitor::ConsoleClassifier::k_max_reports) __builtin_trap();
  for (const auto& r : c.reports())
    if (r.first_line.size() > numalab::monitor::ConsoleClassifier::k_max_line) __builtin_trap();
  return 0;
}
