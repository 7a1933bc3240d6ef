#pragma once
// The agent's end of the channel to the host: whole JSON lines out, from any thread, never
// interleaved; lines in, bounded.

#include <deque>
#include <expected>
#include <mutex>
#include <string>

#include "agent/protocol.hpp"
#include "util/deadline.hpp"
#include "util/unique_fd.hpp"

namespace numalab::guest {

class AgentPort {
 public:
  explicit AgentPort(util::UniqueFd fd) : fd_(std::move(fd)) {}

  // Writes m and its newline while holding the one write lock, looping over partial writes (a
  // virtio port takes at most 32 KiB per write). Blocks while the host end is not connected.
  // False if the port failed; the first failure is said on the console.
  bool send(const agent::GuestMessage& m);

  // The next line from the host. A virtio port whose host end is not connected reads as
  // end-of-file; that is waited out until the deadline, like silence.
  std::expected<std::string, std::string> read_line(util::Deadline deadline);

 private:
  bool write_line(const std::string& line);

  util::UniqueFd fd_;
  std::mutex write_mutex_;
  bool reported_write_failure_ = false;
  agent::LineAssembler lines_;
  std::deque<std::string> pending_;
};

}  // namespace numalab::guest
