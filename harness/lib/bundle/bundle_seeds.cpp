#include "bundle/bundle_seeds.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>

namespace numalab::bundle {

namespace {

bool names_a_seed(std::string key) {
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  return key.find("seed") != std::string::npos;
}

// "seed 1234", "seed=1234", "Seed: 1234" in text from the guest.
void seeds_in_text(const std::string& text, const std::string& machine, const std::string& workload,
                   const std::string& source, nlohmann::json& out) {
  static const std::regex k_seed(R"(\bseed[ =:]+([0-9]{1,20})\b)", std::regex::icase);
  for (std::sregex_iterator it(text.begin(), text.end(), k_seed), end; it != end; ++it)
    out.push_back(
        {{"machine", machine}, {"workload", workload}, {"source", source}, {"seed", (*it)[1].str()}});
}

// The agent's log lines and workload ends in MACHINE/agent.jsonl.
void seeds_in_transcript(const std::filesystem::path& file, const std::string& machine, nlohmann::json& out) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("eed") == std::string::npos) continue;
    const auto entry = nlohmann::json::parse(line, nullptr, false);
    if (!entry.is_object() || entry.value("dir", "") != "in") continue;
    const auto msg = nlohmann::json::parse(entry.value("line", ""), nullptr, false);
    if (!msg.is_object()) continue;
    const auto type = msg.value("t", "");
    if (type == "log") seeds_in_text(msg.value("text", ""), machine, "", "agent log", out);
    if (type == "end")
      seeds_in_text(msg.value("detail", ""), machine, msg.value("workload", ""), "workload detail", out);
  }
}

}  // namespace

nlohmann::json find_seeds(const lab::Lab& lab, const result::RunResult& run,
                          const std::filesystem::path& run_dir) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& w : lab.workloads)
    for (const auto& [key, value] : w.params.items())
      if (names_a_seed(key))
        out.push_back({{"machine", w.machine},
                       {"workload", lab::workload_label(w)},
                       {"source", "lab file " + key},
                       {"seed", value.is_string() ? value.get<std::string>() : value.dump()}});
  for (const auto& m : run.machines) seeds_in_transcript(run_dir / m.name / "agent.jsonl", m.name, out);
  return out;
}

}  // namespace numalab::bundle
