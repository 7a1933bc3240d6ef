#include "bundle/time_to_failure.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace numalab::bundle {

std::optional<double> failure_time_in_timeline(const std::filesystem::path& agent_jsonl) {
  std::ifstream in(agent_jsonl);
  std::optional<double> workload_end;
  for (std::string line; std::getline(in, line);) {
    const auto entry = nlohmann::json::parse(line, nullptr, false);
    if (!entry.is_object() || !entry.contains("at") || !entry["at"].is_number()) continue;
    const double at = entry["at"].get<double>();
    const auto dir = entry.value("dir", "");
    const auto text = entry.value("line", "");
    if (dir == "note" && text.starts_with("verdict ") && !text.starts_with("verdict pass")) return at;
    if (dir != "in" || workload_end || text.find("\"end\"") == std::string::npos) continue;
    const auto msg = nlohmann::json::parse(text, nullptr, false);
    if (msg.is_object() && msg.value("t", "") == "end" && msg.value("verdict", "pass") != "pass")
      workload_end = at;
  }
  return workload_end;
}

std::optional<double> time_to_failure(const result::RunResult& run) {
  if (run.verdict == result::Verdict::pass) return std::nullopt;
  std::optional<double> earliest;
  for (const auto& m : run.machines)
    if (auto t = failure_time_in_timeline(std::filesystem::path(run.run_dir) / m.name / "agent.jsonl"))
      earliest = earliest ? std::min(*earliest, *t) : *t;
  return earliest ? earliest : std::optional<double>(run.duration_s);
}

}  // namespace numalab::bundle
