#include "capture/capture_record.hpp"

#include <fstream>

#include "util/json_text.hpp"

namespace numalab::capture {

std::string_view to_string(StepStatus s) {
  switch (s) {
    case StepStatus::ok:
      return "ok";
    case StepStatus::failed:
      return "failed";
    case StepStatus::skipped:
      return "skipped";
  }
  return "failed";
}

const StepRecord* CaptureRecord::find(std::string_view name) const {
  for (const auto& s : steps)
    if (s.name == name) return &s;
  return nullptr;
}

nlohmann::json to_json(const CaptureRecord& r) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : r.steps)
    steps.push_back({{"name", s.name},
                     {"ok", s.status == StepStatus::ok},
                     {"status", to_string(s.status)},
                     {"seconds", s.seconds},
                     {"at_s", s.at_s},
                     {"detail", s.detail}});
  return {{"version", CaptureRecord::k_version}, {"verdict", r.verdict},
          {"guest_state", r.guest_state},        {"started_at_s", r.started_at_s},
          {"total_seconds", r.total_seconds},    {"steps", steps}};
}

void write_capture_json(const CaptureRecord& r, const std::filesystem::path& file) {
  auto tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << util::json_document(to_json(r));
    if (!out) return;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
}

}  // namespace numalab::capture
