#include "init/console.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "util/unique_fd.hpp"

namespace numalab::guest {

namespace {

void write_whole(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

void say(std::string_view text) {
  std::string line = "numalab-agent: ";
  line.append(text);
  line += '\n';
  write_whole(STDERR_FILENO, line);
}

void tell_kernel_log(std::string_view text) {
  util::UniqueFd kmsg(::open("/dev/kmsg", O_WRONLY | O_CLOEXEC));
  if (!kmsg) return;
  std::string line = "<3>numalab-agent: ";  // <3>: KERN_ERR
  line.append(text.substr(0, 900));         // one kmsg record holds about 1 KiB
  line += '\n';
  write_whole(kmsg.get(), line);
}

}  // namespace numalab::guest
