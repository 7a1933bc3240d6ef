#include "util/cache_dir.hpp"

#include <cstdlib>

namespace numalab::util {

std::filesystem::path cache_dir() {
  if (const char* c = std::getenv("NUMALAB_CACHE"); c && *c) return c;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::filesystem::path(x) / "numalab";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/tmp") / ".cache" / "numalab";
}

}  // namespace numalab::util
