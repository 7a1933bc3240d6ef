#include "run/machine_logs.hpp"

#include <nlohmann/json.hpp>

namespace numalab::run {

ConsoleLog::ConsoleLog(std::filesystem::path file, std::uint64_t max_bytes)
    : file_(std::move(file)), out_(file_, std::ios::binary), max_bytes_(max_bytes) {}

void ConsoleLog::write(std::string_view bytes) {
  if (bytes_ >= max_bytes_) return;
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes_ += bytes.size();
  if (bytes_ >= max_bytes_) out_ << "\n[numalab: console log truncated]\n";
  out_.flush();
}

void ConsoleLog::mark(std::string_view line) {
  out_ << "\n" << line << "\n";
  out_.flush();
}

Transcript::Transcript(const std::filesystem::path& file, std::uint64_t max_bytes)
    : out_(file, std::ios::binary), max_bytes_(max_bytes) {}

void Transcript::line(double at_s, std::string_view dir, std::string_view text) {
  if (bytes_ > max_bytes_) return;
  const nlohmann::json j{{"at", at_s}, {"dir", dir}, {"line", std::string(text)}};
  const std::string out = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  bytes_ += out.size();
  out_ << out;
  out_.flush();
}

}  // namespace numalab::run
