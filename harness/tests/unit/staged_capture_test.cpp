#include "capture/staged_capture.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "capture/evidence_capture.hpp"
#include "capture/evidence_files.hpp"
#include "util/temp_dir.hpp"

namespace numalab::capture {
namespace {

// A QMP peer that answers each command by name, like QEMU would: a queued reply for that command,
// else {"return": {}}. `silent` commands get no reply (the client's deadline passes). A
// dump-guest-memory leaves an ELF file where its protocol says.
class FakeQemu final : public launch::QmpTransport {
 public:
  util::Result<void> write_line(std::string_view line) override {
    auto req = nlohmann::json::parse(line);
    const std::string cmd = req["execute"];
    commands.push_back(cmd);
    requests.push_back(req);
    if (silent.contains(cmd)) return {};
    nlohmann::json reply{{"return", nlohmann::json::object()}};
    if (auto it = replies.find(cmd); it != replies.end() && !it->second.empty()) {
      reply = it->second.front();
      if (it->second.size() > 1) it->second.pop_front();  // the last one repeats
    }
    if (cmd == "dump-guest-memory" && !reply.contains("error")) {
      const std::string protocol = req["arguments"]["protocol"];
      std::ofstream(protocol.substr(5), std::ios::binary) << "\x7f"
                                                             "ELF"
                                                          << std::string(4096, '\0');
    }
    reply["id"] = req["id"];
    out_.push_back(reply.dump());
    return {};
  }
  util::Result<std::optional<std::string>> read_line(util::Deadline) override {
    if (out_.empty()) return std::optional<std::string>();
    auto l = out_.front();
    out_.pop_front();
    return std::optional<std::string>(l);
  }
  void reply(const std::string& cmd, nlohmann::json r) { replies[cmd].push_back(std::move(r)); }
  void error(const std::string& cmd, const std::string& desc) {
    reply(cmd, {{"error", {{"class", "GenericError"}, {"desc", desc}}}});
  }

  std::vector<std::string> commands;
  std::vector<nlohmann::json> requests;
  std::set<std::string> silent;
  std::map<std::string, std::deque<nlohmann::json>> replies;

 private:
  std::deque<std::string> out_;
};

class StagedCapture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = util::ScopedTempDir::create("numalab-capture-test-");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<util::ScopedTempDir>(std::move(*d));
    auto t = std::make_unique<FakeQemu>();
    qemu = t.get();
    qmp = std::make_unique<launch::QmpClient>(std::move(t));
    qemu->reply("query-status", {{"return", {{"status", "running"}, {"running", true}}}});
    qemu->reply("human-monitor-command", {{"return", "\nCPU#0\nRAX=0000000000000000\nCPU#1\nRAX=1\n"}});
    qemu->reply("query-dump", {{"return", {{"status", "completed"}, {"completed", 4100}, {"total", 4100}}}});
    // Instant everything: the console is a file the test writes, the waits do nothing.
    options.after_sysrq = options.after_sysrq_t = options.after_nmi = {ms(0), ms(0), ms(0)};
    options.registers_gap = ms(0);
    options.qmp_step = ms(50);
    options.dump_poll = ms(1);
    options.dump_limit = ms(200);
    options.analysis = false;
  }
  static std::chrono::milliseconds ms(int n) { return std::chrono::milliseconds(n); }
  std::filesystem::path dir() const { return dir_->path(); }

  CaptureRecord capture(const std::string& verdict = "hang") {
    CaptureIo io{[this] { ++pumps; }, [this](std::string_view l) { marks.emplace_back(l); },
                 [](util::Deadline) {}, dir() / "console.log"};
    return run_staged_capture(*qmp, {dir(), verdict, util::SteadyClock::now()}, options, io);
  }
  static std::vector<std::string> names(const CaptureRecord& r) {
    std::vector<std::string> n;
    for (const auto& s : r.steps) n.push_back(s.name);
    return n;
  }
  static std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  bool marked(std::string_view text) const {
    for (const auto& m : marks)
      if (m.find(text) != std::string::npos) return true;
    return false;
  }
  std::filesystem::path fake_vmlinux() {
    auto p = dir() / "kernel-build" / "vmlinux";
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << "not really vmlinux";
    return p;
  }

  FakeQemu* qemu = nullptr;
  std::unique_ptr<launch::QmpClient> qmp;
  CaptureOptions options;
  std::vector<std::string> marks;
  int pumps = 0;

 private:
  std::unique_ptr<util::ScopedTempDir> dir_;
};

TEST_F(StagedCapture, RunsEveryStepInOrderAndLeavesTheEvidence) {
  options.vmlinux = fake_vmlinux();
  auto r = capture();
  EXPECT_EQ(names(r),
            (std::vector<std::string>{"query-status", "sysrq-w", "sysrq-l", "sysrq-t", "nmi", "registers-1",
                                      "registers-2", "memory-dump", "vmlinux", "analysis"}));
  for (const auto& s : r.steps) {
    if (s.name == "analysis") continue;
    EXPECT_EQ(s.status, StepStatus::ok) << s.name << ": " << s.detail;
  }
  EXPECT_EQ(r.guest_state, "running");
  EXPECT_EQ(qemu->commands,
            (std::vector<std::string>{"query-status", "send-key", "send-key", "send-key", "inject-nmi",
                                      "human-monitor-command", "human-monitor-command", "dump-guest-memory",
                                      "query-dump"}));
  EXPECT_EQ(qemu->requests[1]["arguments"]["keys"].dump(),
            R"([{"data":"alt","type":"qcode"},{"data":"sysrq","type":"qcode"},{"data":"w","type":"qcode"}])");
  EXPECT_EQ(qemu->requests[3]["arguments"]["keys"][2]["data"], "t");
  const auto& dump = qemu->requests[7]["arguments"];
  EXPECT_EQ(dump["paging"], true) << "Debian's drgn reads lab kernels' dumps only with paging";
  EXPECT_EQ(dump["detach"], true);
  EXPECT_EQ(dump["format"], "elf");
  EXPECT_EQ(dump["protocol"], "file:" + (dir() / "vmcore").string());
  EXPECT_TRUE(marked("[numalab: sysrq-w sent at +"));
  EXPECT_TRUE(marked("[numalab: sysrq-t sent at +"));
  EXPECT_TRUE(marked("[numalab: NMI injected at +"));
  EXPECT_GT(pumps, 0);
  EXPECT_NE(slurp(dir() / "registers-1.txt").find("CPU#1"), std::string::npos);
  EXPECT_NE(r.find("registers-2")->detail.find("2 vCPUs"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir() / "registers-2.txt"));
  EXPECT_NE(r.find("memory-dump")->detail.find("ELF"), std::string::npos);
  EXPECT_EQ(slurp(dir() / "vmlinux"), "not really vmlinux");
  auto json = nlohmann::json::parse(slurp(dir() / "capture.json"));
  EXPECT_EQ(json["verdict"], "hang");
  EXPECT_EQ(json["steps"].size(), r.steps.size());
  EXPECT_EQ(json["steps"][1]["name"], "sysrq-w");
  EXPECT_EQ(json["steps"][1]["ok"], true);
}

TEST_F(StagedCapture, AFailedStepIsRecordedAndTheNextOneRuns) {
  qemu->reply("send-key", {{"return", nlohmann::json::object()}});
  qemu->error("send-key", "Invalid parameter 'sysrq'");
  qemu->reply("send-key", {{"return", nlohmann::json::object()}});
  auto r = capture();
  EXPECT_EQ(r.find("sysrq-w")->status, StepStatus::ok);
  EXPECT_EQ(r.find("sysrq-l")->status, StepStatus::failed);
  EXPECT_NE(r.find("sysrq-l")->detail.find("Invalid parameter"), std::string::npos);
  EXPECT_EQ(r.find("sysrq-t")->status, StepStatus::ok);
  EXPECT_TRUE(marked("sysrq-l could not be sent"));
  auto json = nlohmann::json::parse(slurp(dir() / "capture.json"));
  EXPECT_EQ(json["steps"][2]["name"], "sysrq-l");
  EXPECT_EQ(json["steps"][2]["ok"], false);
}

TEST_F(StagedCapture, AStepThatTimesOutIsRecordedAndTheNextOneRuns) {
  qemu->silent = {"inject-nmi"};
  auto r = capture();
  EXPECT_EQ(r.find("nmi")->status, StepStatus::failed);
  EXPECT_NE(r.find("nmi")->detail.find("no reply in time"), std::string::npos);
  EXPECT_LT(r.find("nmi")->seconds, 5.0);
  EXPECT_EQ(r.find("registers-1")->status, StepStatus::ok);
  EXPECT_EQ(r.find("memory-dump")->status, StepStatus::ok);
}

TEST_F(StagedCapture, APanickedPausedGuestIsDumpedWithoutSysrq) {
  qemu->replies["query-status"] = {{{"return", {{"status", "guest-panicked"}, {"running", false}}}}};
  auto r = capture("crash");
  EXPECT_EQ(r.guest_state, "guest-panicked");
  for (const char* name : {"sysrq-w", "sysrq-l", "sysrq-t", "nmi"}) {
    EXPECT_EQ(r.find(name)->status, StepStatus::skipped) << name;
    EXPECT_NE(r.find(name)->detail.find("pvpanic"), std::string::npos) << r.find(name)->detail;
  }
  EXPECT_EQ(std::count(qemu->commands.begin(), qemu->commands.end(), "send-key"), 0);
  EXPECT_EQ(std::count(qemu->commands.begin(), qemu->commands.end(), "inject-nmi"), 0);
  EXPECT_EQ(r.find("registers-2")->status, StepStatus::ok);
  EXPECT_EQ(r.find("memory-dump")->status, StepStatus::ok);
  EXPECT_TRUE(std::filesystem::exists(dir() / "vmcore"));
}

TEST_F(StagedCapture, ADumpThatNeverCompletesFailsAtItsDeadline) {
  options.vmlinux = fake_vmlinux();
  qemu->replies["query-dump"] = {
      {{"return", {{"status", "active"}, {"completed", 1 << 20}, {"total", 4 << 20}}}}};
  auto r = capture();
  const auto* dump = r.find("memory-dump");
  EXPECT_EQ(dump->status, StepStatus::failed);
  EXPECT_NE(dump->detail.find("did not complete"), std::string::npos) << dump->detail;
  EXPECT_NE(dump->detail.find("1.0 MiB of 4.0 MiB"), std::string::npos) << dump->detail;
  EXPECT_LT(dump->seconds, 2.0);
  EXPECT_EQ(r.find("vmlinux")->status, StepStatus::ok) << "the steps after a failed one still run";
}

TEST_F(StagedCapture, NoDumpSkipsTheDumpAndItsAnalysis) {
  options.memory_dump = false;
  options.analysis = true;
  options.vmlinux = fake_vmlinux();
  auto r = capture();
  EXPECT_EQ(r.find("memory-dump")->status, StepStatus::skipped);
  EXPECT_EQ(r.find("analysis")->status, StepStatus::skipped);
  EXPECT_EQ(std::count(qemu->commands.begin(), qemu->commands.end(), "dump-guest-memory"), 0);
  EXPECT_FALSE(std::filesystem::exists(dir() / "vmcore"));
}

TEST_F(StagedCapture, WithoutVmlinuxTheDumpIsStillTaken) {
  options.analysis = true;
  auto r = capture();
  EXPECT_EQ(r.find("memory-dump")->status, StepStatus::ok);
  EXPECT_EQ(r.find("vmlinux")->status, StepStatus::skipped);
  EXPECT_NE(r.find("vmlinux")->detail.find("no vmlinux"), std::string::npos);
  EXPECT_EQ(r.find("analysis")->status, StepStatus::skipped);
}

TEST_F(StagedCapture, TheAnalysisRunsAsAChildWithADeadline) {
  options.analysis = true;
  options.vmlinux = fake_vmlinux();
  options.analysis_script = fake_vmlinux();  // any file: the "python" below ignores it
  options.python = "/bin/true";
  EXPECT_EQ(capture().find("analysis")->status, StepStatus::ok);
  options.python = "/bin/false";
  auto r = capture();
  EXPECT_EQ(r.find("analysis")->status, StepStatus::failed);
  EXPECT_NE(r.find("analysis")->detail.find("exit 1"), std::string::npos) << r.find("analysis")->detail;
  EXPECT_EQ(qemu->commands.back(), "stop") << "the guest is paused while drgn reads the dump";
}

TEST_F(StagedCapture, ShowListsTheEvidenceOfEachMachine) {
  options.vmlinux = fake_vmlinux();
  const auto run_dir = dir();
  const auto machine = run_dir / "guest";
  std::filesystem::create_directories(machine);
  CaptureIo io{[] {}, [](std::string_view) {}, [](util::Deadline) {}, machine / "console.log"};
  run_staged_capture(*qmp, {machine, "hang", util::SteadyClock::now()}, options, io);
  std::ofstream(machine / "hang-report.txt") << "DEADLOCK\n";
  auto lines = evidence_lines(run_dir);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "guest: hang report " + (machine / "hang-report.txt").string());
  EXPECT_NE(lines[1].find("guest: memory dump " + (machine / "vmcore").string() + " ("), std::string::npos);
  EXPECT_NE(lines[1].find("vmlinux beside it"), std::string::npos);
  EXPECT_TRUE(evidence_lines(run_dir / "nonexistent").empty());
}

TEST_F(StagedCapture, FindsTheVmlinuxOfABuiltKernel) {
  kernel::ResolvedKernel k;
  k.image = "/nonexistent/bzImage";
  EXPECT_FALSE(options_for(k, options).vmlinux) << "Debian's kernel: none";
  k.build_dir = fake_vmlinux().parent_path();
  EXPECT_EQ(options_for(k, options).vmlinux, k.build_dir / "vmlinux");
}

TEST_F(StagedCapture, ADumpWithoutPagingWhenQemuRefusesPaging) {
  qemu->error("dump-guest-memory", "The guest is not in paging mode");
  qemu->reply("dump-guest-memory", {{"return", nlohmann::json::object()}});
  auto r = capture();
  EXPECT_EQ(r.find("memory-dump")->status, StepStatus::ok);
  EXPECT_NE(r.find("memory-dump")->detail.find("physical only (without paging"), std::string::npos)
      << r.find("memory-dump")->detail;
  std::vector<bool> paging;
  for (const auto& req : qemu->requests)
    if (req["execute"] == "dump-guest-memory") paging.push_back(req["arguments"]["paging"]);
  EXPECT_EQ(paging, (std::vector<bool>{true, false}));
}

}  // namespace
}  // namespace numalab::capture
