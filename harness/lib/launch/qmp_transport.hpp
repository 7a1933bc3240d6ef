#pragma once
// The line transport under the QMP client. The real one is a connected Unix socket; tests replace
// it with a fake that replays replies captured from a real QEMU. A line can carry a file descriptor
// (SCM_RIGHTS), which is how QMP's getfd receives one: QEMU takes the descriptors that arrive with
// a command's bytes.

#include <optional>
#include <string>
#include <string_view>

#include "agent/protocol.hpp"
#include "util/deadline.hpp"
#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace numalab::launch {

class QmpTransport {
 public:
  virtual ~QmpTransport() = default;
  virtual util::Result<void> write_line(std::string_view line) = 0;
  // The line with `fd` attached to its first byte. Transports that cannot pass descriptors fail.
  virtual util::Result<void> write_line_with_fd(std::string_view line, int fd);
  // The next complete line; nullopt when the deadline passes first. An error when the peer closed.
  virtual util::Result<std::optional<std::string>> read_line(util::Deadline deadline) = 0;
};

class SocketQmpTransport final : public QmpTransport {
 public:
  static constexpr std::size_t k_max_line = 1 << 20;  // QMP replies from QEMU, not from the guest
  explicit SocketQmpTransport(util::UniqueFd fd) : fd_(std::move(fd)), lines_(k_max_line) {}
  util::Result<void> write_line(std::string_view line) override;
  util::Result<void> write_line_with_fd(std::string_view line, int fd) override;
  util::Result<std::optional<std::string>> read_line(util::Deadline deadline) override;
  int fd() const { return fd_.get(); }

 private:
  util::UniqueFd fd_;
  agent::LineAssembler lines_;
  std::vector<std::string> ready_;
  std::size_t next_ = 0;
};

// Writes all of `bytes` to a blocking or non-blocking socket until the deadline.
util::Result<void> write_all(int fd, std::string_view bytes, util::Deadline deadline);
// The same, with `passed` attached (SCM_RIGHTS) to the first bytes sent.
util::Result<void> write_all_with_fd(int fd, std::string_view bytes, int passed, util::Deadline deadline);

}  // namespace numalab::launch
