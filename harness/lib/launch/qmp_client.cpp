#include "launch/qmp_client.hpp"

#include <algorithm>

namespace numalab::launch {

using util::ErrorKind;
using util::fail;

namespace {

bool is_event(const nlohmann::json& m) { return m.contains("event") && m["event"].is_string(); }

QmpEvent to_event(const nlohmann::json& m) {
  return {m["event"].get<std::string>(), m.value("data", nlohmann::json::object())};
}

}  // namespace

util::Result<nlohmann::json> QmpClient::next_message(util::Deadline deadline) {
  auto line = transport_->read_line(deadline);
  if (!line) return std::unexpected(line.error());
  if (!*line) return fail(ErrorKind::cannot_run, "QMP: no reply in time");
  auto msg = nlohmann::json::parse(**line, nullptr, false);
  if (msg.is_discarded() || !msg.is_object())
    return fail(ErrorKind::cannot_run, "QMP: not a JSON object: " + line->value().substr(0, 200));
  return msg;
}

util::Result<std::string> QmpClient::handshake(util::Deadline deadline) {
  auto greeting = next_message(deadline);
  if (!greeting) return std::unexpected(greeting.error());
  const auto* qemu = greeting->contains("QMP") ? &(*greeting)["QMP"] : nullptr;
  if (!qemu || !qemu->is_object())
    return fail(ErrorKind::cannot_run, "QMP: expected a greeting, got " + greeting->dump());
  std::string version;
  if (auto v = qemu->value("version", nlohmann::json::object()); v.contains("qemu")) {
    const auto& q = v["qemu"];
    version = std::to_string(q.value("major", 0)) + "." + std::to_string(q.value("minor", 0)) + "." +
              std::to_string(q.value("micro", 0));
  }
  auto caps = execute("qmp_capabilities", nlohmann::json::object(), deadline);
  if (!caps) return std::unexpected(caps.error());
  return version;
}

util::Result<nlohmann::json> QmpClient::execute(const std::string& command, const nlohmann::json& args,
                                                util::Deadline deadline) {
  return send(command, args, nullptr, deadline);
}

util::Result<nlohmann::json> QmpClient::execute_with_fd(const std::string& command,
                                                        const nlohmann::json& args, int fd,
                                                        util::Deadline deadline) {
  return send(command, args, &fd, deadline);
}

util::Result<nlohmann::json> QmpClient::send(const std::string& command, const nlohmann::json& args,
                                             const int* fd, util::Deadline deadline) {
  const long id = next_id_++;
  nlohmann::json req{{"execute", command}, {"id", id}};
  if (!args.empty()) req["arguments"] = args;
  auto w = fd ? transport_->write_line_with_fd(req.dump(), *fd) : transport_->write_line(req.dump());
  if (!w) return fail(w.error().kind, "QMP " + command + ": " + w.error().message);
  for (;;) {
    auto msg = next_message(deadline);
    if (!msg) return fail(msg.error().kind, "QMP " + command + ": " + msg.error().message);
    if (is_event(*msg)) {
      events_.push_back(to_event(*msg));
      continue;
    }
    if (msg->value("id", -1L) != id) continue;  // a late reply to an earlier, timed-out command
    if (msg->contains("error")) {
      const auto& e = (*msg)["error"];
      return fail(ErrorKind::cannot_run,
                  "QMP " + command + ": " + e.value("class", "") + ": " + e.value("desc", ""));
    }
    return msg->value("return", nlohmann::json::object());
  }
}

util::Result<std::optional<QmpEvent>> QmpClient::wait_for_event(const std::string& name,
                                                                util::Deadline deadline) {
  auto queued =
      std::find_if(events_.begin(), events_.end(), [&](const QmpEvent& e) { return e.name == name; });
  if (queued != events_.end()) {
    QmpEvent e = std::move(*queued);
    events_.erase(queued);
    return e;
  }
  for (;;) {
    auto line = transport_->read_line(deadline);
    if (!line) return std::unexpected(line.error());
    if (!*line) return std::optional<QmpEvent>();
    auto msg = nlohmann::json::parse(**line, nullptr, false);
    if (!msg.is_object() || !is_event(msg)) continue;  // a late reply to a timed-out command
    if (msg["event"] == name) return to_event(msg);
    events_.push_back(to_event(msg));
  }
}

util::Result<std::vector<QmpEvent>> QmpClient::poll_events() {
  for (;;) {
    auto line = transport_->read_line(util::Deadline(util::SteadyClock::now()));
    if (!line) return std::unexpected(line.error());
    if (!*line) break;
    auto msg = nlohmann::json::parse(**line, nullptr, false);
    if (msg.is_object() && is_event(msg)) events_.push_back(to_event(msg));
  }
  return take_events();
}

std::vector<QmpEvent> QmpClient::take_events() { return std::exchange(events_, {}); }

}  // namespace numalab::launch
