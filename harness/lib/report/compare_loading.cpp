#include "report/compare_loading.hpp"

#include "report/compare_statistics.hpp"

namespace numalab::report {

using util::ErrorKind;
using util::fail;

util::Result<std::optional<CompareReport>> load_compare_report(store::ResultsStore& store,
                                                               const std::string& compare_id) {
  auto record = store.load_compare(compare_id);
  if (!record) return std::unexpected(record.error());
  if (!*record) return std::optional<CompareReport>{};
  const auto& rec = **record;
  CompareReport r;
  r.compare_id = rec.compare_id;
  r.lab = rec.lab;
  r.lab_file = rec.lab_file;
  r.started_at = rec.started_at;
  r.duration_s = rec.duration_s;
  r.repeat = rec.repeat;
  r.options = options_from_json(rec.options);
  if (rec.kernels.is_array())
    for (const auto& k : rec.kernels) r.kernels.push_back(kernel_from_json(k));
  if (rec.machines.is_array())
    for (const auto& m : rec.machines) {
      CompareMachine machine;
      machine.name = m.value("name", "");
      if (m.contains("topology")) machine.topology = m["topology"].get<model::Topology>();
      r.machines.push_back(std::move(machine));
    }
  for (const auto& row : rec.plan) {
    if (row.kernel < 0 || static_cast<std::size_t>(row.kernel) >= r.kernels.size())
      return fail(ErrorKind::cannot_run, "compare " + rec.compare_id + " plans a run on kernel #" +
                                             std::to_string(row.kernel) + ", which it does not list");
    CompareRun run{row.seq, static_cast<std::size_t>(row.kernel), row.repetition, std::nullopt};
    if (row.run_id) {
      auto loaded = store.load_run(*row.run_id);
      if (!loaded) return std::unexpected(loaded.error());
      run.result = std::move(*loaded);
    }
    r.runs.push_back(std::move(run));
  }
  // The kernel release as the guests reported it.
  for (const auto& run : r.runs)
    if (run.result && r.kernels[run.kernel].release.empty())
      for (const auto& m : run.result->machines)
        if (!m.kernel.release.empty()) r.kernels[run.kernel].release = m.kernel.release;
  compute_statistics(r);
  return std::optional<CompareReport>{std::move(r)};
}

}  // namespace numalab::report
