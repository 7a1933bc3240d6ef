#include "launch/qmp_client.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <fstream>

namespace numalab::launch {
namespace {

// Replays QMP lines; records what the client wrote.
class FakeQmpTransport final : public QmpTransport {
 public:
  explicit FakeQmpTransport(std::deque<std::string> replies) : replies_(std::move(replies)) {}
  util::Result<void> write_line(std::string_view line) override {
    written.emplace_back(line);
    return {};
  }
  util::Result<std::optional<std::string>> read_line(util::Deadline) override {
    if (closed && replies_.empty()) return util::fail(util::ErrorKind::cannot_run, "closed");
    if (replies_.empty()) return std::optional<std::string>();
    auto l = replies_.front();
    replies_.pop_front();
    return std::optional<std::string>(l);
  }
  std::vector<std::string> written;
  bool closed = false;

 private:
  std::deque<std::string> replies_;
};

std::string golden_greeting() {
  std::ifstream in(std::string(NUMALAB_GOLDEN_DIR) + "/qmp/greeting-qemu-7.2.json");
  std::string line;
  std::getline(in, line);
  return line;
}

TEST(QmpClient, HandshakeReadsTheGreetingOfARealQemu) {
  auto t = std::make_unique<FakeQmpTransport>(
      std::deque<std::string>{golden_greeting(), R"({"return": {}, "id": 1})"});
  auto* fake = t.get();
  QmpClient qmp(std::move(t));
  auto v = qmp.handshake(util::Deadline::after(std::chrono::seconds(1)));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->substr(0, 4), "7.2.");
  ASSERT_EQ(fake->written.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(fake->written[0])["execute"], "qmp_capabilities");
}

TEST(QmpClient, KeepsEventsThatArriveBeforeTheReply) {
  auto t = std::make_unique<FakeQmpTransport>(
      std::deque<std::string>{R"({"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"})",
                              R"({"return": {"status": "paused", "running": false}, "id": 1})"});
  QmpClient qmp(std::move(t));
  auto r = qmp.execute("query-status", {}, util::Deadline::after(std::chrono::seconds(1)));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)["status"], "paused");
  auto events = qmp.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "STOP");
}

TEST(QmpClient, ReportsQmpErrorsWithClassAndDescription) {
  auto t = std::make_unique<FakeQmpTransport>(std::deque<std::string>{
      R"({"error": {"class": "CommandNotFound", "desc": "The command nope has not been found"}, "id": 1})"});
  QmpClient qmp(std::move(t));
  auto r = qmp.execute("nope", {}, util::Deadline::after(std::chrono::seconds(1)));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("CommandNotFound"), std::string::npos);
}

TEST(QmpClient, TimesOutWithoutAReply) {
  QmpClient qmp(std::make_unique<FakeQmpTransport>(std::deque<std::string>{}));
  auto r = qmp.execute("query-status", {}, util::Deadline::after(std::chrono::milliseconds(1)));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no reply"), std::string::npos);
}

TEST(QmpClient, IgnoresALateReplyToAnEarlierCommand) {
  auto t = std::make_unique<FakeQmpTransport>(
      std::deque<std::string>{R"({"return": {}, "id": 1})", R"({"return": {"status": "running"}, "id": 2})"});
  QmpClient qmp(std::move(t));
  (void)qmp.execute("stop", {}, util::Deadline::after(std::chrono::seconds(1)));
  auto r = qmp.execute("query-status", {}, util::Deadline::after(std::chrono::seconds(1)));
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["status"], "running");
}

TEST(QmpClient, PollEventsCollectsPanics) {
  auto t = std::make_unique<FakeQmpTransport>(std::deque<std::string>{
      R"({"timestamp": {"seconds": 1, "microseconds": 2}, "event": "GUEST_PANICKED", "data": {"action": "pause"}})"});
  QmpClient qmp(std::move(t));
  auto ev = qmp.poll_events();
  ASSERT_TRUE(ev);
  ASSERT_EQ(ev->size(), 1u);
  EXPECT_EQ((*ev)[0].name, "GUEST_PANICKED");
  EXPECT_EQ((*ev)[0].data["action"], "pause");
}

TEST(QmpClient, WaitForEventKeepsOtherEvents) {
  auto t = std::make_unique<FakeQmpTransport>(std::deque<std::string>{
      R"({"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"})", R"({"return": {}, "id": 7})",
      R"({"timestamp": {"seconds": 1, "microseconds": 3}, "event": "MIGRATION", "data": {"status": "completed"}})"});
  QmpClient qmp(std::move(t));
  auto ev = qmp.wait_for_event("MIGRATION", util::Deadline::after(std::chrono::seconds(1)));
  ASSERT_TRUE(ev) << ev.error().message;
  ASSERT_TRUE(*ev);
  EXPECT_EQ((*ev)->data["status"], "completed");
  auto rest = qmp.take_events();
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].name, "STOP");
}

TEST(QmpClient, WaitForEventTakesOneThatArrivedDuringACommand) {
  auto t = std::make_unique<FakeQmpTransport>(std::deque<std::string>{
      R"({"timestamp": {"seconds": 1, "microseconds": 2}, "event": "MIGRATION", "data": {"status": "setup"}})",
      R"({"return": {}, "id": 1})"});
  QmpClient qmp(std::move(t));
  ASSERT_TRUE(qmp.execute("migrate", {{"uri", "fd:x"}}, util::Deadline::after(std::chrono::seconds(1))));
  auto ev = qmp.wait_for_event("MIGRATION", util::Deadline::after(std::chrono::milliseconds(1)));
  ASSERT_TRUE(ev);
  ASSERT_TRUE(*ev);
  EXPECT_EQ((*ev)->data["status"], "setup");
  EXPECT_TRUE(qmp.take_events().empty());
}

TEST(QmpClient, WaitForEventGivesNothingAtTheDeadline) {
  QmpClient qmp(std::make_unique<FakeQmpTransport>(std::deque<std::string>{}));
  auto ev = qmp.wait_for_event("MIGRATION", util::Deadline::after(std::chrono::milliseconds(1)));
  ASSERT_TRUE(ev);
  EXPECT_FALSE(*ev);
}

}  // namespace
}  // namespace numalab::launch
