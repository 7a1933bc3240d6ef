// The blocked message: tasks in uninterruptible sleep as the agent reports them, and its bounds.
#include <gtest/gtest.h>

#include "agent/protocol.hpp"

namespace numalab::agent {
namespace {

// Why a line is rejected ("" and a test failure when it is accepted).
std::string decode_error(std::string_view line) {
  auto decoded = decode_guest_message(line);
  EXPECT_FALSE(decoded.has_value()) << "accepted: " << line.substr(0, 200);
  return decoded ? std::string() : decoded.error();
}

TEST(ProtocolTest, BlockedWireFormat) {
  Blocked blocked{
      {{812, 812, "numalab-trigger", 4567, "mutex_lock", {"mutex_lock", "deadlock_self", "trigger_write"}}}};
  EXPECT_EQ(
      encode(GuestMessage(blocked)),
      R"({"t":"blocked","tasks":[{"pid":812,"tid":812,"comm":"numalab-trigger","switches":4567,"wchan":"mutex_lock","stack":["mutex_lock","deadlock_self","trigger_write"]}]})");
}

nlohmann::json blocked_json() {
  return nlohmann::json::parse(
      encode(GuestMessage(Blocked{{{812, 813, "numalab-trigger", 4567, "mutex_lock", {"mutex_lock"}}}})));
}

TEST(ProtocolTest, BlockedBounds) {
  auto j = blocked_json();
  j["tasks"] = std::vector<nlohmann::json>(k_max_blocked_tasks, blocked_json()["tasks"][0]);
  EXPECT_TRUE(decode_guest_message(j.dump()).has_value());
  j["tasks"].push_back(j["tasks"][0]);
  EXPECT_NE(decode_error(j.dump()).find("blocked.tasks: more than 16"), std::string::npos);

  j = blocked_json();
  j["tasks"][0]["stack"] = std::vector<std::string>(k_max_stack_frames, "f");
  EXPECT_TRUE(decode_guest_message(j.dump()).has_value());
  j["tasks"][0]["stack"].push_back("g");
  EXPECT_NE(decode_error(j.dump()).find("blocked.tasks[0].stack"), std::string::npos);

  for (const char* name : {"comm", "wchan"}) {
    j = blocked_json();
    j["tasks"][0][name] = std::string(k_max_name_bytes + 1, 'n');
    EXPECT_NE(decode_error(j.dump()).find(std::string("blocked.tasks[0].") + name), std::string::npos);
  }
  j = blocked_json();
  j["tasks"][0]["stack"] = {"mutex_lock", std::string(k_max_name_bytes + 1, 'f')};
  decode_error(j.dump());

  for (auto [key, bad] : std::vector<std::pair<std::string, nlohmann::json>>{{"pid", 0},
                                                                             {"pid", -1},
                                                                             {"tid", 1 << 23},
                                                                             {"tid", "1"},
                                                                             {"switches", -1},
                                                                             {"switches", 1.5},
                                                                             {"comm", 7},
                                                                             {"wchan", nullptr},
                                                                             {"stack", "mutex_lock"},
                                                                             {"stack", {1, 2}}}) {
    SCOPED_TRACE(key + " = " + bad.dump());
    j = blocked_json();
    j["tasks"][0][key] = bad;
    decode_error(j.dump());
  }
  for (const char* key : {"pid", "tid", "comm", "switches", "wchan", "stack"}) {
    j = blocked_json();
    j["tasks"][0].erase(key);
    decode_error(j.dump());
  }
  decode_error(R"({"t":"blocked"})");
  decode_error(R"({"t":"blocked","tasks":{}})");
  decode_error(R"({"t":"blocked","tasks":[7]})");
}

TEST(ProtocolTest, BlockedEncoderAppliesTheBounds) {
  // What the guest kernel gives (512-byte symbols, deep stacks, many tasks) is cut to fit.
  BlockedTask task{1, 1, std::string(200, 'c'), 1, std::string(600, 'w'), {}};
  task.stack = std::vector<std::string>(40, std::string(300, 'f'));
  Blocked many{std::vector<BlockedTask>(20, task)};
  const std::string line = encode(GuestMessage(many));
  EXPECT_LE(line.size(), k_max_line_bytes);
  auto m = decode_guest_message(line);
  ASSERT_TRUE(m.has_value()) << m.error();
  const auto& got = std::get<Blocked>(*m);
  // 16 tasks of 32 frames of 128-byte names do not fit in a line: the last ones are left out.
  EXPECT_GE(got.tasks.size(), 12U);
  EXPECT_LT(got.tasks.size(), k_max_blocked_tasks);
  EXPECT_EQ(got.tasks[0].comm.size(), k_max_name_bytes);
  EXPECT_EQ(got.tasks[0].wchan.size(), k_max_name_bytes);
  ASSERT_EQ(got.tasks[0].stack.size(), k_max_stack_frames);
  EXPECT_EQ(got.tasks[0].stack[0].size(), k_max_name_bytes);

  // Kernel-sized names: all 16 fit.
  task = {812, 812, "numalab-trigger", 4567, "mutex_lock", {}};
  task.stack = std::vector<std::string>(40, "rpc_wait_bit_killable_with_a_longer_name");
  auto fits = decode_guest_message(encode(GuestMessage(Blocked{std::vector<BlockedTask>(20, task)})));
  ASSERT_TRUE(fits.has_value()) << fits.error();
  EXPECT_EQ(std::get<Blocked>(*fits).tasks.size(), k_max_blocked_tasks);
  EXPECT_EQ(std::get<Blocked>(*fits).tasks[15].stack.size(), k_max_stack_frames);
}

}  // namespace
}  // namespace numalab::agent
