#include "util/error.hpp"

#include <cstring>

namespace numalab::util {

std::string errno_text(int err) {
  char buf[256];
  // GNU strerror_r returns a pointer that may or may not be buf.
  return ::strerror_r(err, buf, sizeof buf);
}

}  // namespace numalab::util
