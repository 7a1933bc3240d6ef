#include "kernel/patch_apply.hpp"

#include "kernel/patch_output.hpp"
#include "util/child_process.hpp"
#include "util/file_contents.hpp"
#include "util/temp_dir.hpp"

namespace numalab::kernel {

using util::ErrorKind;
using util::fail;

namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_problems_shown = 8;
constexpr std::size_t k_output_lines_shown = 12;
constexpr std::size_t k_output_max = 1 << 20;

std::vector<std::string> patch_argv(int strip, const fs::path& tree, const fs::path& input) {
  return {"env",
          "-u",
          "POSIXLY_CORRECT",
          "LC_ALL=C",
          "patch",
          "-p" + std::to_string(strip),
          "--batch",
          "--forward",
          "--no-backup-if-mismatch",
          "--reject-file=-",
          "--quoting-style=literal",
          "-d",
          tree.string(),
          "-i",
          input.string()};
}

std::string read_output(const fs::path& file) { return util::read_file(file, k_output_max).value_or(""); }

std::string failure_message(const PatchSeries& series, const Patch& patch, const fs::path& tree,
                            const util::ExitStatus& status, const std::string& output) {
  std::string message = series.describe(patch) + " (" + series.location(patch) + ", -p" +
                        std::to_string(patch.strip) + ") does not apply to " + tree.string() + ":";
  const auto problems = parse_patch_output(output).problems;
  for (std::size_t i = 0; i < problems.size() && i < k_problems_shown; ++i)
    message += "\n  " + to_string(problems[i]);
  if (problems.size() > k_problems_shown)
    message += "\n  and " + std::to_string(problems.size() - k_problems_shown) + " more";
  if (problems.empty()) message += "\n  GNU patch failed (" + status.to_string() + ")";
  return message + "\nGNU patch said (last lines):\n" + last_lines(output, k_output_lines_shown);
}

struct PatchRun {
  util::ExitStatus status;
  std::string output;  // stdout and stderr, in order
};

util::Result<PatchRun> run_patch(const Patch& patch, const fs::path& tree, const fs::path& work,
                                 util::Deadline deadline) {
  const fs::path input = work / ("patch-" + std::to_string(patch.position));
  const fs::path output = work / ("output-" + std::to_string(patch.position));
  if (auto written = util::write_file(input, patch.content); !written)
    return std::unexpected(written.error());
  util::ChildOptions opts;
  opts.stdout_path = output;
  opts.stderr_path = output;
  auto child = util::ChildProcess::spawn(patch_argv(patch.strip, tree, input), opts);
  if (!child) return std::unexpected(child.error());
  auto ended = child->wait_until(deadline);
  if (!ended) {
    child->stop(std::chrono::milliseconds(0));
    return fail(ErrorKind::cannot_run, "GNU patch did not finish applying " + patch.name + " in time");
  }
  PatchRun run{*ended, read_output(output)};
  if (run.status.exit_code == 126 || run.status.exit_code == 127)
    return fail(ErrorKind::cannot_run, "cannot run GNU patch (is the 'patch' package installed?):\n" +
                                           last_lines(run.output, k_output_lines_shown));
  return run;
}

}  // namespace

util::Result<AppliedSeries> apply_patch_series(const PatchSeries& series, const fs::path& tree,
                                               util::Deadline deadline) {
  if (!fs::is_directory(tree))
    return fail(ErrorKind::cannot_run, "cannot apply " + series.origin.string() + ": the source tree " +
                                           tree.string() + " is not a folder");
  auto work = util::ScopedTempDir::create("numalab-patch-");
  if (!work) return std::unexpected(work.error());
  const fs::path absolute_tree = fs::absolute(tree);  // patch -d changes directory before -i
  AppliedSeries applied;
  for (const auto& patch : series.patches) {
    auto run = run_patch(patch, absolute_tree, fs::absolute(work->path()), deadline);
    if (!run) return std::unexpected(run.error());
    if (run->status.exit_code != 0)
      return fail(ErrorKind::bad_input, failure_message(series, patch, tree, run->status, run->output));
    for (const auto& fuzz : parse_patch_output(run->output).fuzzed)
      applied.warnings.push_back(series.describe(patch) + ": " + fuzz);
    ++applied.applied;
  }
  return applied;
}

}  // namespace numalab::kernel
