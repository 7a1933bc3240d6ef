#include <poll.h>

#include <algorithm>

#include "capture/capture_steps.hpp"

namespace numalab::capture {

namespace {

std::uintmax_t size_of(const std::filesystem::path& file) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(file, ec);
  return ec ? 0 : n;
}

}  // namespace

void wait_for_console_bytes(int fd, util::Deadline deadline) {
  if (fd >= 0) {
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, deadline.poll_timeout_ms());
    if (n <= 0 || (p.revents & POLLIN)) return;  // the deadline, or bytes to read
  }
  ::poll(nullptr, 0, deadline.poll_timeout_ms());
}

void pump_until(const CaptureIo& io, util::TimePoint until) {
  for (;;) {
    io.pump();
    if (util::SteadyClock::now() >= until || io.cancelled()) return;
    io.wait_for_console(util::Deadline(until));
  }
}

std::uintmax_t settle_console(const CaptureIo& io, const ConsoleSettle& settle) {
  const auto start = util::SteadyClock::now();
  const auto first = size_of(io.console_log);
  auto size = first;
  auto last_change = start;
  for (;;) {
    io.pump();
    const auto now = util::SteadyClock::now();
    if (const auto s = size_of(io.console_log); s != size) {
      size = s;
      last_change = now;
    }
    if (now - start >= settle.max || io.cancelled()) break;
    if (now - start >= settle.min && now - last_change >= settle.quiet) break;
    const auto wake = std::min(start + settle.max, std::max(start + settle.min, last_change + settle.quiet));
    io.wait_for_console(util::Deadline(wake));
  }
  return size >= first ? size - first : 0;
}

}  // namespace numalab::capture
