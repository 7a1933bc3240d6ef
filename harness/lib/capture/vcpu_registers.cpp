// Every vCPU's registers through the human monitor ("info registers -a"), into a text file.

#include <fstream>

#include "capture/capture_steps.hpp"

namespace numalab::capture {

StepResult save_registers(StepContext& c, const std::filesystem::path& file) {
  auto r = c.qmp.execute("human-monitor-command", {{"command-line", "info registers -a"}},
                         util::Deadline::after(c.options.qmp_step));
  if (!r) return StepResult::failed(r.error().message);
  if (!r->is_string())
    return StepResult::failed("human-monitor-command returned " + r->dump().substr(0, 200));
  const auto text = r->get<std::string>();
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return StepResult::failed("cannot write " + file.string());
  std::size_t cpus = 0;
  for (std::size_t p = text.find("CPU#"); p != std::string::npos; p = text.find("CPU#", p + 4)) ++cpus;
  return StepResult::ok(file.filename().string() + ": " + std::to_string(cpus) + " vCPUs, " +
                        std::to_string(text.size()) + " bytes");
}

}  // namespace numalab::capture
