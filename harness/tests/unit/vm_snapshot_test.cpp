#include "launch/vm_snapshot.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <deque>

#include "util/file_contents.hpp"
#include "util/temp_dir.hpp"

namespace numalab::launch {
namespace {

// QEMU's side of a migration as the test scripts it: every command answered (or refused, or left
// unanswered), the MIGRATION events that follow migrate/migrate-incoming, and what query-migrate
// says. The descriptor getfd receives is kept, as QEMU keeps it.
class FakeMigratingQemu final : public QmpTransport {
 public:
  util::Result<void> write_line(std::string_view line) override { return answer(line); }
  util::Result<void> write_line_with_fd(std::string_view line, int fd) override {
    received_fd.reset(::dup(fd));
    return answer(line);
  }
  util::Result<std::optional<std::string>> read_line(util::Deadline) override {
    if (out_.empty()) {
      if (exited) return util::fail(util::ErrorKind::cannot_run, "QMP connection closed");
      return std::optional<std::string>();
    }
    auto l = out_.front();
    out_.pop_front();
    return std::optional<std::string>(l);
  }

  std::vector<nlohmann::json> commands;
  std::map<std::string, std::string> errors;                          // command -> QEMU's error desc
  std::vector<std::string> statuses{"setup", "active", "completed"};  // MIGRATION events
  nlohmann::json query_migrate = {{"status", "active"}};
  bool exited = false;  // after the migration starts: QEMU 7.2 exits when a load fails
  util::UniqueFd received_fd;

 private:
  util::Result<void> answer(std::string_view line) {
    auto req = nlohmann::json::parse(line);
    commands.push_back(req);
    const std::string cmd = req["execute"];
    nlohmann::json reply{{"return", cmd == "query-migrate" ? query_migrate : nlohmann::json::object()}};
    if (auto it = errors.find(cmd); it != errors.end())
      reply = {{"error", {{"class", "GenericError"}, {"desc", it->second}}}};
    reply["id"] = req["id"];
    out_.push_back(reply.dump());
    if ((cmd == "migrate" || cmd == "migrate-incoming") && !errors.contains(cmd)) {
      if (exited) return {};
      for (const auto& s : statuses)
        out_.push_back(nlohmann::json{{"event", "MIGRATION"}, {"data", {{"status", s}}}}.dump());
    }
    return {};
  }
  std::deque<std::string> out_;
};

class VmSnapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = std::make_unique<FakeMigratingQemu>();
    qemu = t.get();
    qmp = std::make_unique<QmpClient>(std::move(t));
    auto d = util::ScopedTempDir::create("numalab-snapshot-");
    ASSERT_TRUE(d);
    dir.emplace(std::move(*d));
    state = dir->path() / "state";
  }
  std::vector<std::string> command_names() const {
    std::vector<std::string> names;
    for (const auto& c : qemu->commands) names.push_back(c["execute"]);
    return names;
  }
  static std::vector<std::string> step_names(const std::vector<TimedStep>& steps) {
    std::vector<std::string> names;
    for (const auto& s : steps) names.push_back(s.name);
    return names;
  }
  static util::Deadline soon() { return util::Deadline::after(std::chrono::seconds(2)); }

  FakeMigratingQemu* qemu = nullptr;
  std::unique_ptr<QmpClient> qmp;
  std::optional<util::ScopedTempDir> dir;
  std::filesystem::path state;
};

TEST_F(VmSnapshot, SaveSendsTheCommandsInOrderAndTheStateFileToQemu) {
  auto steps = save_vm_state(*qmp, state, soon());
  ASSERT_TRUE(steps) << steps.error().message;
  EXPECT_EQ(command_names(), (std::vector<std::string>{"migrate-set-capabilities", "getfd", "migrate"}));
  EXPECT_EQ(step_names(*steps),
            (std::vector<std::string>{"migrate-set-capabilities", "getfd", "migrate", "wait-completed"}));

  const auto& caps = qemu->commands[0]["arguments"]["capabilities"];
  EXPECT_EQ(caps, nlohmann::json::parse(R"([{"capability": "x-ignore-shared", "state": true},
                                            {"capability": "events", "state": true}])"));
  EXPECT_EQ(qemu->commands[1]["arguments"]["fdname"], "numalab-state");
  EXPECT_EQ(qemu->commands[2]["arguments"]["uri"], "fd:numalab-state");

  // What QEMU writes through the descriptor lands in the state file, which only we may read.
  ASSERT_TRUE(qemu->received_fd.valid());
  ASSERT_EQ(::write(qemu->received_fd.get(), "QEVM", 4), 4);
  EXPECT_EQ(util::read_file(state).value_or(""), "QEVM");
  struct stat st {};
  ASSERT_EQ(::stat(state.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(VmSnapshot, RestoreSendsTheCommandsInOrderAndContinues) {
  ASSERT_TRUE(util::write_file(state, "QEVM saved"));
  auto steps = restore_vm_state(*qmp, state, soon());
  ASSERT_TRUE(steps) << steps.error().message;
  EXPECT_EQ(command_names(),
            (std::vector<std::string>{"migrate-set-capabilities", "getfd", "migrate-incoming", "cont"}));
  EXPECT_EQ(step_names(*steps), (std::vector<std::string>{"migrate-set-capabilities", "getfd",
                                                          "migrate-incoming", "wait-completed", "cont"}));
  EXPECT_EQ(qemu->commands[0]["arguments"]["capabilities"][0]["capability"], "x-ignore-shared");
  EXPECT_EQ(qemu->commands[2]["arguments"]["uri"], "fd:numalab-state");
  for (const auto& s : *steps) EXPECT_GE(s.took.count(), 0.0);

  // QEMU reads the saved stream through the descriptor it was given.
  ASSERT_TRUE(qemu->received_fd.valid());
  char buf[16] = {};
  ASSERT_EQ(::pread(qemu->received_fd.get(), buf, sizeof buf - 1, 0), 10);
  EXPECT_STREQ(buf, "QEVM saved");
}

TEST_F(VmSnapshot, AFailedMigrationCarriesQemusOwnReason) {
  qemu->statuses = {"setup", "failed"};
  qemu->query_migrate = {{"status", "failed"},
                         {"error-desc", "Unable to write to file: No space left on device"}};
  auto steps = save_vm_state(*qmp, state, soon());
  ASSERT_FALSE(steps);
  const auto& m = steps.error().message;
  EXPECT_NE(m.find("saving the guest to " + state.string()), std::string::npos) << m;
  EXPECT_NE(m.find("migration failed"), std::string::npos) << m;
  EXPECT_NE(m.find("No space left on device"), std::string::npos) << m;
}

TEST_F(VmSnapshot, ARefusedCommandStopsTheSequence) {
  qemu->errors["migrate-set-capabilities"] = "Capability 'x-ignore-shared' not supported";
  auto steps = save_vm_state(*qmp, state, soon());
  ASSERT_FALSE(steps);
  EXPECT_NE(steps.error().message.find("x-ignore-shared' not supported"), std::string::npos);
  EXPECT_EQ(command_names(), std::vector<std::string>{"migrate-set-capabilities"});
}

TEST_F(VmSnapshot, TheDeadlineEndsTheWaitAndCancelsTheMigration) {
  qemu->statuses = {"setup", "active"};  // and then nothing
  auto steps = save_vm_state(*qmp, state, util::Deadline::after(std::chrono::milliseconds(50)));
  ASSERT_FALSE(steps);
  EXPECT_NE(steps.error().message.find("not completed in time (status active)"), std::string::npos)
      << steps.error().message;
  EXPECT_EQ(command_names().back(), "migrate_cancel");
}

TEST_F(VmSnapshot, AQemuThatExitsDuringARestorePointsAtItsLog) {
  ASSERT_TRUE(util::write_file(state, "not a stream"));
  qemu->exited = true;
  auto steps = restore_vm_state(*qmp, state, soon());
  ASSERT_FALSE(steps);
  EXPECT_NE(steps.error().message.find("QEMU's log"), std::string::npos) << steps.error().message;
  EXPECT_NE(command_names().back(), "cont");
}

TEST_F(VmSnapshot, AMissingStateFileIsNamed) {
  auto steps = restore_vm_state(*qmp, dir->path() / "nope", soon());
  ASSERT_FALSE(steps);
  EXPECT_NE(steps.error().message.find((dir->path() / "nope").string()), std::string::npos);
  EXPECT_TRUE(qemu->commands.empty());
}

}  // namespace
}  // namespace numalab::launch
