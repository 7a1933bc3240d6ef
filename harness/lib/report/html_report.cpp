#include "report/html_report.hpp"

#include <cstdlib>

#include "util/child_process.hpp"
#include "util/deadline.hpp"
#include "util/file_tail.hpp"

namespace numalab::report {

namespace {

constexpr auto k_render_timeout = std::chrono::seconds(300);

}  // namespace

std::filesystem::path html_renderer_path() {
  if (const char* s = std::getenv("NUMALAB_REPORT_SCRIPT"); s && *s) return s;
  return std::filesystem::path(NUMALAB_DATA_DIR) / "harness" / "report" / "compare_html.py";
}

util::Result<std::filesystem::path> render_html(const std::filesystem::path& document,
                                                const std::filesystem::path& out_dir) {
  const auto script = html_renderer_path();
  if (!std::filesystem::exists(script))
    return util::fail(util::ErrorKind::cannot_run, "the HTML renderer " + script.string() + " is missing");
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  const auto log = out_dir / "render.log";
  util::ChildOptions opts;
  opts.stdout_path = log;
  opts.stderr_path = log;
  auto child = util::ChildProcess::spawn(
      {"/usr/bin/python3", script.string(), document.string(), out_dir.string()}, opts);
  if (!child) return std::unexpected(child.error());
  auto status = child->wait_until(util::Deadline::after(k_render_timeout));
  if (!status)
    return util::fail(util::ErrorKind::cannot_run,
                      "the HTML renderer did not finish within 300 s (" + log.string() + ")");
  if (status->exit_code != 0) {
    auto said = util::tail_of_file(log, 4, "(it printed nothing)");
    said.pop_back();  // the message's last line has no newline
    return util::fail(util::ErrorKind::cannot_run, "the HTML renderer failed (" + status->to_string() + "; " +
                                                       log.string() + "):\n" + said);
  }
  return out_dir / "index.html";
}

}  // namespace numalab::report
