#pragma once
// A QMP client: greeting, capability negotiation, commands with deadlines, and the asynchronous
// events (SHUTDOWN, STOP, GUEST_PANICKED, ...) that arrive between replies.

#include <memory>
#include <nlohmann/json.hpp>
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
  // Reads whatever has arrived without waiting; returns the events collected so far.
  util::Result<std::vector<QmpEvent>> poll_events();
  std::vector<QmpEvent> take_events();
  QmpTransport& transport() { return *transport_; }

 private:
  util::Result<nlohmann::json> next_message(util::Deadline deadline);
  std::unique_ptr<QmpTransport> transport_;
  std::vector<QmpEvent> events_;
  long next_id_ = 1;
};

}  // namespace numalab::launch
