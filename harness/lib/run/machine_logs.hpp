#pragma once
// The two logs of a machine in its run folder. console.log: what the guest printed on its serial
// console, byte for byte, with numalab's marker lines between ("[numalab: sysrq-w sent]").
// agent.jsonl: every line to and from the agent and numalab's notes, one JSON object a line. Both
// are capped (a flooding guest cannot fill the disk) and flushed as they grow, so a killed numalab
// leaves them complete up to its end.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace numalab::run {

inline constexpr std::uint64_t k_max_log_bytes = 64ull << 20;

class ConsoleLog {
 public:
  explicit ConsoleLog(std::filesystem::path file, std::uint64_t max_bytes = k_max_log_bytes);
  void write(std::string_view bytes);
  void mark(std::string_view line);  // on a line of its own
  const std::filesystem::path& path() const { return file_; }

 private:
  std::filesystem::path file_;
  std::ofstream out_;
  std::uint64_t bytes_ = 0;
  std::uint64_t max_bytes_;
};

class Transcript {
 public:
  explicit Transcript(const std::filesystem::path& file, std::uint64_t max_bytes = k_max_log_bytes);
  // `dir`: "in" (from the agent), "out" (to it), "qmp" (a QMP event), "note" (numalab's own).
  void line(double at_s, std::string_view dir, std::string_view text);

 private:
  std::ofstream out_;
  std::uint64_t bytes_ = 0;
  std::uint64_t max_bytes_;
};

}  // namespace numalab::run
