// numalab compare in real guests, checked from the outside: two kernels of
// lab/cpuset-regression.toml (the baseline and patches/cpuset-no-mpol-rebind, whose cpuset-rebind
// fails), two boots each. The compare is interrupted after its first run and resumed; the resumed
// compare runs only what is missing and writes all four outputs (text table, HTML report, JUnit,
// KCIDB), each checked as its consumer would: the XML against the JUnit schema, the KCIDB file
// against the schema of the fields numalab emits. --fail-on-regression gates on the functional
// failure, and --from-db re-renders the same table without booting anything.

#include <signal.h>

#include <ctime>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <thread>

#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

// Runs a checker tool; returns its exit status and what it printed.
std::pair<int, std::string> check_with(const std::vector<std::string>& argv,
                                       const std::filesystem::path& log) {
  util::ChildOptions opts;
  opts.stdout_path = log;
  opts.stderr_path = log;
  auto child = util::ChildProcess::spawn(argv, opts);
  if (!child) return {-1, child.error().message};
  auto st = child->wait_until(util::Deadline::after(std::chrono::seconds(60)));
  return {st && st->exit_code ? *st->exit_code : -1, slurp(log)};
}

// "2026-11-22T07:04:05Z" as seconds since the epoch (a summary's started_at).
double utc_seconds(const nlohmann::json& stamp) {
  std::tm tm{};
  std::istringstream in(stamp.get<std::string>());
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  return static_cast<double>(::timegm(&tm));
}

class Compare : public LabKernelFixture {
 protected:
  std::vector<std::string> compare_args(std::vector<std::string> extra) {
    std::vector<std::string> args = {"compare", source("lab/cpuset-regression.toml").string(), "--results",
                                     results().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
};

TEST_F(Compare, ResumesAfterAnInterruptAndWritesEveryOutput) {
  // Both kernels are built (or found in the cache) before the first boot.
  auto first = start(compare_args({"--kernel", "baseline", "--kernel", "norebind", "--repeat", "2"}));
  // Interrupt once the first run has finished (its line says "pass in ... (run NNNN)").
  const auto deadline = util::Deadline::after(std::chrono::seconds(2300));
  while (!deadline.expired() && slurp(tmp() / "stderr.txt").find("(run ") == std::string::npos &&
         first.running())
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(first.running()) << slurp(tmp() / "stderr.txt");
  first.signal_group(SIGINT);
  auto interrupted = finish(first, std::chrono::seconds(120));
  EXPECT_EQ(interrupted.exit_code, 128 + SIGINT) << interrupted.err;
  EXPECT_NE(interrupted.err.find("--resume c0001"), std::string::npos) << interrupted.err;
  EXPECT_TRUE(processes_mentioning(results().string()).empty()) << "QEMU left running";
  // The interrupt comes after run 1 finished: either run 2 had begun (then it is stored as an
  // interrupted error, 0002, and is not part of the compare) or it came between the runs (then
  // nothing was begun and the resumed compare's first run is 0002).
  const auto run2 = results() / "runs" / "0002";
  const bool run2_begun = std::filesystem::exists(run2);
  if (run2_begun) {
    const auto summary = nlohmann::json::parse(slurp(run2 / "summary.json"), nullptr, false);
    ASSERT_TRUE(summary.is_object()) << "the interrupted run 0002 has no summary.json";
    EXPECT_EQ(summary["verdict"], "error");
    EXPECT_NE(summary["reason"].get<std::string>().find("interrupted"), std::string::npos)
        << summary["reason"];
  }

  const auto out = tmp() / "out";
  auto resumed = start(compare_args({"--resume", "c0001", "--report", (out / "report").string(), "--junit",
                                     (out / "junit.xml").string(), "--kcidb", (out / "kcidb.json").string(),
                                     "--json", (out / "compare.json").string(), "--fail-on-regression"}));
  auto inv = finish(resumed, std::chrono::seconds(600));
  // The patched kernel's cpuset-rebind fails: a functional failure, which gates.
  EXPECT_EQ(inv.exit_code, 1) << inv.out << inv.err;
  EXPECT_NE(inv.out.find("fail: cpuset-rebind on norebind"), std::string::npos) << inv.out;
  EXPECT_EQ(inv.out.find("fail: cpuset-rebind on baseline"), std::string::npos) << inv.out;

  // The resumed compare ran only the three missing runs, in the interleaved order.
  const auto doc = nlohmann::json::parse(slurp(out / "compare.json"), nullptr, false);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["complete"], true);
  ASSERT_EQ(doc["runs"].size(), 4u);
  const char* order[] = {"baseline", "norebind", "baseline", "norebind"};
  std::set<std::string> run_ids;
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(doc["runs"][i]["kernel"], order[i]);
    ASSERT_TRUE(doc["runs"][i]["summary"].is_object());
    run_ids.insert(doc["runs"][i]["summary"]["run_id"].get<std::string>());
  }
  EXPECT_EQ(run_ids.size(), 4u);
  EXPECT_EQ(std::count(inv.err.begin(), inv.err.end(), '\n') > 0, true);
  EXPECT_EQ(inv.err.find("run 1 of 4"), std::string::npos) << "the finished run was run again: " << inv.err;
  EXPECT_NE(inv.err.find("run 2 of 4"), std::string::npos) << inv.err;
  if (run2_begun) {
    EXPECT_FALSE(run_ids.contains("0002")) << "the interrupted run became part of the compare";
  }

  // The text table: both kernels as columns, the metric rows, the legend.
  EXPECT_NE(inv.out.find("baseline"), std::string::npos);
  EXPECT_NE(inv.out.find("norebind"), std::string::npos);
  EXPECT_NE(inv.out.find("cpuset-rebind checks_failed"), std::string::npos) << inv.out;
  EXPECT_NE(inv.out.find("+ means better"), std::string::npos);

  // The HTML report, whose path is printed.
  EXPECT_NE(inv.out.find("report: " + (out / "report" / "index.html").string()), std::string::npos)
      << inv.out;
  const auto html = slurp(out / "report" / "index.html");
  EXPECT_NE(html.find("id=\"metrics-norebind\""), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);

  // JUnit: valid against the schema; the patched kernel's cpuset-rebind case fails, the baseline's
  // passes.
  const auto [junit_rc, junit_log] =
      check_with({"xmllint", "--noout", "--schema", source("harness/report/junit.xsd").string(),
                  (out / "junit.xml").string()},
                 tmp() / "xmllint.log");
  EXPECT_EQ(junit_rc, 0) << junit_log;
  const auto junit = slurp(out / "junit.xml");
  EXPECT_NE(junit.find("<testsuite name=\"norebind\""), std::string::npos);
  EXPECT_NE(junit.find("<failure"), std::string::npos) << junit;

  // KCIDB: valid against the schema of what numalab emits; a checkout, a build per kernel, and the
  // failed tests on the patched kernel.
  const auto [kcidb_rc, kcidb_log] =
      check_with({"/usr/bin/python3", "-c",
                  "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
                  "json.load(open(sys.argv[2])))",
                  (out / "kcidb.json").string(), source("harness/report/kcidb.schema.json").string()},
                 tmp() / "jsonschema.log");
  EXPECT_EQ(kcidb_rc, 0) << kcidb_log;
  const auto kcidb = nlohmann::json::parse(slurp(out / "kcidb.json"), nullptr, false);
  ASSERT_TRUE(kcidb.is_object());
  EXPECT_EQ(kcidb["checkouts"].size(), 2u);
  EXPECT_EQ(kcidb["builds"].size(), 2u);
  bool patched_failed = false;
  for (const auto& t : kcidb["tests"])
    if (t["status"] == "FAIL" && t["build_id"].get<std::string>().find("norebind") != std::string::npos)
      patched_failed = true;
  EXPECT_TRUE(patched_failed) << kcidb["tests"].dump().substr(0, 2000);

  // --from-db: the same table again, nothing booted.
  auto again = start({"compare", "--from-db", "c0001", "--results", results().string(), "--report",
                      (tmp() / "again").string()});
  auto redo = finish(again, std::chrono::seconds(120));
  EXPECT_EQ(redo.exit_code, 0) << redo.err;
  EXPECT_EQ(redo.err.find("QEMU started"), std::string::npos);
  const auto table_at = [](const std::string& s) { return s.substr(0, s.find("report: ")); };
  EXPECT_EQ(table_at(redo.out), table_at(inv.out));
  EXPECT_TRUE(processes_mentioning(results().string()).empty()) << "QEMU left running";
}

// A compare resolves each kernel once, before its first boot, and boots what it recorded: a patch
// file that changes under it (here, replaced by one that cannot apply) changes nothing it boots,
// and nothing is built again. Both kernels come from the cache (the same content as the lab's).
TEST_F(Compare, APatchEditedDuringTheCompareChangesNoKernelItBoots) {
  const auto series = tmp() / "norebind";
  std::filesystem::create_directories(series);
  for (const char* f : {"series", "0001-cpuset-do-not-rebind-task-mempolicies-when-mems-change.patch"})
    std::filesystem::copy_file(source("patches/cpuset-no-mpol-rebind") / f, series / f);
  auto lab = write_lab("edited.toml",
                       "name = \"edited\"\n"
                       "[kernel.baseline]\nbase = \"debian-6.1\"\nseries = \"" +
                           source("patches/baseline").string() +
                           "\"\nconfig = [\"numa-lab\"]\n"
                           "[kernel.norebind]\nbase = \"debian-6.1\"\nseries = \"" +
                           series.string() +
                           "\"\nconfig = [\"numa-lab\"]\n"
                           "[[machine]]\nname = \"guest\"\nkernel = \"baseline\"\n"
                           "  [[machine.node]]\n  cpus = [0, 1]\n  memory = \"512M\"\n"
                           "  [[machine.node]]\n  cpus = [2, 3]\n  memory = \"512M\"\n"
                           "[[workload]]\nname = \"cpuset-rebind\"\nmachine = \"guest\"\n");
  const auto json = tmp() / "compare.json";
  auto child = start({"compare", lab.string(), "--results", results().string(), "--kernel", "baseline",
                      "--kernel", "norebind", "--repeat", "1", "--json", json.string()});
  // The first run (baseline) starts once both kernels are resolved; norebind boots after the edit.
  const auto deadline = util::Deadline::after(std::chrono::seconds(2300));
  while (!deadline.expired() && slurp(tmp() / "stderr.txt").find("run 1 of 2") == std::string::npos &&
         child.running())
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(child.running()) << slurp(tmp() / "stderr.txt");
  std::ofstream(series / "0001-cpuset-do-not-rebind-task-mempolicies-when-mems-change.patch", std::ios::trunc)
      << "--- a/mm/mempolicy.c\n+++ b/mm/mempolicy.c\n@@ -10,1 +10,1 @@\n-no such line\n+replaced\n";
  const auto edited_at = slurp(tmp() / "stderr.txt").size();
  auto inv = finish(child, std::chrono::seconds(600));
  EXPECT_EQ(inv.err.find("building", edited_at), std::string::npos) << "built again:\n" << inv.err;

  const auto doc = nlohmann::json::parse(slurp(json), nullptr, false);
  ASSERT_TRUE(doc.is_object()) << inv.err;
  ASSERT_EQ(doc["runs"].size(), 2u) << inv.err;
  std::map<std::string, std::string> recorded;  // kernel -> sha256 the compare recorded
  for (const auto& k : doc["kernels"])
    recorded[k["name"].get<std::string>()] = k["sha256"].get<std::string>();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_NE(recorded["baseline"], recorded["norebind"]);
  for (const auto& r : doc["runs"]) {
    const auto kernel = r["kernel"].get<std::string>();
    ASSERT_TRUE(r["summary"].is_object()) << kernel << " has no run";
    EXPECT_EQ(r["summary"]["machines"][0]["kernel"]["sha256"], recorded[kernel]) << kernel;
  }
  // norebind is the kernel of the original patch: its cpuset-rebind fails as that patch makes it.
  EXPECT_EQ(doc["runs"][1]["kernel"], "norebind");
  EXPECT_EQ(doc["runs"][1]["summary"]["verdict"], "fail") << inv.out << inv.err;
  EXPECT_NE(inv.out.find("fail: cpuset-rebind on norebind"), std::string::npos) << inv.out;
  EXPECT_TRUE(processes_mentioning(results().string()).empty()) << "QEMU left running";
}

// --jobs 2 on a lab whose guest has one vCPU: this host's two cores hold a slot, so each
// repetition's two runs run side by side. The compare ends with the same runs, kernels, verdicts and
// metrics as --jobs 1, and the runs of a repetition overlapped in time. About 50 s (Debian's kernel).
TEST_F(Compare, JobsTwoRunsARepetitionSideBySideWithTheSameOutputsAsOneAtATime) {
  auto lab = write_lab("small.toml",
                       "name = \"small\"\n"
                       "[[machine]]\nname = \"guest\"\nkernel = \"debian\"\n"
                       "  [[machine.node]]\n  cpus = [0]\n  memory = \"256M\"\n"
                       "  [[machine.node]]\n  cpus = []\n  memory = \"256M\"\n"
                       "[[workload]]\nname = \"topology-check\"\nmachine = \"guest\"\n");
  auto compare = [&](const std::string& jobs, const std::string& json) {
    auto child = start({"compare", lab.string(), "--results", results().string(), "--kernel", "debian",
                        "--kernel", "debian", "--repeat", "2", "--jobs", jobs, "--json", json});
    return finish(child, std::chrono::seconds(300));
  };
  const auto together = compare("2", (tmp() / "jobs2.json").string());
  ASSERT_EQ(together.exit_code, 0) << together.err;
  EXPECT_NE(together.err.find("runs side by side"), std::string::npos) << together.err;
  EXPECT_NE(together.err.find("(2 at once)"), std::string::npos) << together.err;
  const auto alone = compare("1", (tmp() / "jobs1.json").string());
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  EXPECT_EQ(alone.err.find("at once"), std::string::npos) << alone.err;

  const auto a = nlohmann::json::parse(slurp(tmp() / "jobs2.json"), nullptr, false);
  const auto b = nlohmann::json::parse(slurp(tmp() / "jobs1.json"), nullptr, false);
  ASSERT_TRUE(a.is_object() && b.is_object());
  EXPECT_EQ(a["complete"], true);
  EXPECT_EQ(b["complete"], true);
  ASSERT_EQ(a["runs"].size(), 4u);
  ASSERT_EQ(b["runs"].size(), 4u);
  auto metrics = [](const nlohmann::json& doc) {
    std::set<std::string> out;
    for (const auto& m : doc["comparisons"][0]["metrics"])
      out.insert(m["workload"].get<std::string>() + " " + m["name"].get<std::string>());
    return out;
  };
  EXPECT_FALSE(metrics(a).empty());
  EXPECT_EQ(metrics(a), metrics(b));
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(a["runs"][i]["kernel"], b["runs"][i]["kernel"]);
    EXPECT_EQ(a["runs"][i]["summary"]["verdict"], "pass") << a["runs"][i].dump().substr(0, 2000);
    EXPECT_EQ(b["runs"][i]["summary"]["verdict"], "pass");
  }
  // Each repetition's two runs overlapped: each began before the other ended.
  for (std::size_t rep = 0; rep < 2; ++rep) {
    const auto& r1 = a["runs"][2 * rep]["summary"];
    const auto& r2 = a["runs"][2 * rep + 1]["summary"];
    const double apart = std::abs(utc_seconds(r1["started_at"]) - utc_seconds(r2["started_at"]));
    EXPECT_LT(apart + 1, std::min(r1["duration_s"].get<double>(), r2["duration_s"].get<double>()))
        << "repetition " << rep + 1 << " did not run side by side (started " << apart << " s apart)";
  }
  EXPECT_TRUE(processes_mentioning(results().string()).empty()) << "QEMU left running";
}

}  // namespace
}  // namespace numalab::itest
