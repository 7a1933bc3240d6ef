// The clean-state contract in a real guest (Debian's kernel, the default 2-node topology), checked
// from the outside: cpuset-rebind (both cgroup interfaces), then a short numa02 in the same boot.
// Each workload's end message in the run's agent transcript must say that nothing the agent
// watches was left different (whatever it restored is printed), and the agent must have said, before
// each workload, how long after boot it started. About 11 s under TCG on 2 cores.

#include <algorithm>
#include <chrono>
#include <iostream>
#include <sstream>

#include "agent/protocol.hpp"
#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

struct Transcript {
  std::vector<agent::StepEnd> ends;
  std::vector<std::string> logs;
};

// What the agent sent, decoded as the host decodes it.
Transcript read_transcript(const std::filesystem::path& file) {
  Transcript t;
  std::istringstream lines(slurp(file));
  for (std::string line; std::getline(lines, line);) {
    auto entry = nlohmann::json::parse(line, nullptr, false);
    if (!entry.is_object() || entry.value("dir", "") != "in") continue;
    auto m = agent::decode_guest_message(entry.value("line", ""));
    if (!m) continue;
    if (const auto* end = std::get_if<agent::StepEnd>(&*m)) t.ends.push_back(*end);
    if (const auto* log = std::get_if<agent::Log>(&*m)) t.logs.push_back(log->text);
  }
  return t;
}

class CleanStateContract : public NumalabFixture {};

TEST_F(CleanStateContract, CpusetRebindLeavesNothingForNuma02) {
  auto lab = write_lab("clean-state.toml", debian_guest_lab("clean-state-itest", k_two_nodes, R"(
[[workload]]
name = "cpuset-rebind"
cgroup = "both"
[[workload]]
name = "numa02"
duration = "2s"
memory = "64M"
)"));
  const auto began = std::chrono::steady_clock::now();
  auto inv = run(lab, {}, std::chrono::seconds(120));
  ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  const auto transcript = read_transcript(results() / "runs/0001/guest/agent.jsonl");
  ASSERT_EQ(transcript.ends.size(), 2u);
  for (const auto& end : transcript.ends) {
    EXPECT_EQ(end.verdict, "pass") << end.workload << ": " << end.detail;
    EXPECT_TRUE(end.left.empty()) << end.workload << " left: " << ::testing::PrintToString(end.left);
    for (const auto& r : end.restored) std::cout << end.workload << ": the agent restored " << r << "\n";
  }
  for (const char* name : {"cpuset-rebind", "numa02"}) {
    const std::string start = std::string(name) + " starts ";
    EXPECT_TRUE(std::any_of(transcript.logs.begin(), transcript.logs.end(),
                            [&](const std::string& l) {
                              return l.starts_with(start) &&
                                     l.find(" s after boot; MemFree node 0 ") != std::string::npos;
                            }))
        << "no \"" << start << "... s after boot; MemFree ...\" line";
  }
  std::cout << "clean-state integration test: "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count() << " s\n";
}

}  // namespace
}  // namespace numalab::itest
