// The guest's memory as an ELF core (QMP dump-guest-memory, detached, followed with query-dump),
// and the kernel's vmlinux beside it so the dump can be read.

#include <fmt/format.h>

#include <fstream>

#include "capture/capture_steps.hpp"

namespace numalab::capture {

namespace {

std::string mebibytes(std::uintmax_t bytes) {
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
}

bool is_elf(const std::filesystem::path& file) {
  char magic[4] = {};
  std::ifstream in(file, std::ios::binary);
  in.read(magic, sizeof magic);
  return in && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

// Follows a detached dump until QEMU says it completed or failed, or the deadline passes.
StepResult follow_dump(StepContext& c, util::Deadline deadline, const std::filesystem::path& file) {
  std::string last = "none";
  for (;;) {
    const auto poll_at = util::SteadyClock::now() + c.options.dump_poll;
    auto q = c.qmp.execute("query-dump", nlohmann::json::object(),
                           util::Deadline::earliest(deadline, util::Deadline::after(c.options.qmp_step)));
    if (q) {
      last = q->value("status", "unknown");
      if (last == "completed") break;
      if (last == "failed") return StepResult::failed("QEMU says the dump failed (see qemu.log)");
    }
    if (c.io.cancelled())
      return StepResult::failed("numalab was interrupted; " + file.filename().string() + " is incomplete");
    if (deadline.expired()) {
      std::string progress;
      if (q)
        progress =
            ", " + mebibytes(q->value("completed", 0ull)) + " of " + mebibytes(q->value("total", 0ull));
      return StepResult::failed("the dump did not complete within " +
                                std::to_string(c.options.dump_limit.count() / 1000) + " s (" + last +
                                progress + "); " + file.filename().string() + " is incomplete");
    }
    pump_until(c.io, std::min(poll_at, deadline.at()));
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return StepResult::failed("QEMU says the dump completed but " + file.string() + " is missing");
  if (!is_elf(file)) return StepResult::failed(file.filename().string() + " is not an ELF file");
  return StepResult::ok(file.filename().string() + ": " + mebibytes(size) + " ELF");
}

}  // namespace

StepResult dump_memory(StepContext& c) {
  const auto file = c.target.dir / k_vmcore;
  std::error_code ec;
  std::filesystem::remove(file, ec);
  const auto deadline = util::Deadline::after(c.options.dump_limit);
  c.io.mark("[numalab: memory dump to " + file.filename().string() + " started at +" +
            std::to_string(static_cast<int>(c.since_start())) + " s]");
  auto start = [&](bool paging) {
    const nlohmann::json args{
        {"paging", paging}, {"protocol", "file:" + file.string()}, {"detach", true}, {"format", "elf"}};
    return c.qmp.execute("dump-guest-memory", args,
                         util::Deadline::earliest(deadline, util::Deadline::after(c.options.qmp_step)));
  };
  bool paging = c.options.dump_paging;
  auto r = start(paging);
  std::string note;
  if (!r && paging) {  // e.g. a vCPU not in paging mode yet: physical memory only
    note = " (without paging: " + r.error().message + ")";
    paging = false;
    r = start(paging);
  }
  if (!r) return StepResult::failed(r.error().message);
  auto result = follow_dump(c, deadline, file);
  if (result.status == StepStatus::ok) result.detail += (paging ? ", paging" : ", physical only") + note;
  c.io.mark("[numalab: memory dump " + std::string(result.status == StepStatus::ok ? "completed" : "failed") +
            " at +" + std::to_string(static_cast<int>(c.since_start())) + " s]");
  return result;
}

StepResult place_vmlinux(StepContext& c) {
  const auto& source = c.options.vmlinux;
  if (!source)
    return StepResult::skipped(
        "no vmlinux: this kernel has none with debug information here (Debian's "
        "packaged kernel ships none; a [kernel.NAME] lab kernel has one)");
  std::error_code ec;
  if (!std::filesystem::exists(*source, ec)) return StepResult::failed("no vmlinux at " + source->string());
  const auto link = c.target.dir / k_vmlinux;
  std::filesystem::remove(link, ec);
  // A hard link costs nothing and outlives `numalab kernels --prune`; a symbolic link otherwise.
  std::filesystem::create_hard_link(*source, link, ec);
  if (!ec) return StepResult::ok("hard link to " + source->string());
  std::filesystem::create_symlink(*source, link, ec);
  if (!ec) return StepResult::ok("symbolic link to " + source->string());
  return StepResult::failed("cannot link " + source->string() + " into the run folder: " + ec.message());
}

}  // namespace numalab::capture
