#pragma once
// A QMP client: greeting, capability negotiation, commands with deadlines, and the asynchronous
// events (SHUTDOWN, STOP, GUEST_PANICKED, ...) that arrive between replies.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "launch/qmp_transport.hpp"

namespace numalab::launch {

struct QmpEvent {
  std::string name;
  nlohmann::json data;
};

class QmpClient {
 public:
  explicit QmpClient(std::unique_ptr<QmpTransport> transport) : transport_(std::move(transport)) {}

  // Reads the greeting and sends qmp_capabilities. Returns the QEMU version from the greeting.
  util::Result<std::string> handshake(util::Deadline deadline);
  // Sends a command and waits for its reply; events read meanwhile are kept for take_events().
  util::Result<nlohmann::json> execute(const std::string& command, const nlohmann::json& args,
                                       util::Deadline deadline);
  // The same with `fd` passed along (SCM_RIGHTS), for getfd and add-fd. QEMU keeps its own copy;
  // the caller still owns `fd`.
  util::Result<nlohmann::json> execute_with_fd(const std::string& command, const nlohmann::json& args, int fd,
                                               util::Deadline deadline);
  // Waits for the event `name` (one that already arrived first), keeping any other event for
  // take_events(); nullopt when the deadline passes first.
  util::Result<std::optional<QmpEvent>> wait_for_event(const std::string& name, util::Deadline deadline);
  // Reads whatever has arrived without waiting; returns the events collected so far.
  util::Result<std::vector<QmpEvent>> poll_events();
  std::vector<QmpEvent> take_events();
  QmpTransport& transport() { return *transport_; }

 private:
  util::Result<nlohmann::json> next_message(util::Deadline deadline);
  util::Result<nlohmann::json> send(const std::string& command, const nlohmann::json& args, const int* fd,
                                    util::Deadline deadline);
  std::unique_ptr<QmpTransport> transport_;
  std::vector<QmpEvent> events_;
  long next_id_ = 1;
};

}  // namespace numalab::launch
