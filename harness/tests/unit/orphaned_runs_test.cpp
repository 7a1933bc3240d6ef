// A run left "running" by a numalab that was killed (SIGKILL leaves no chance to record its end)
// is recorded as error by the next numalab that opens the store, and said so; a run whose numalab
// is alive, in another process or in this one, is never touched. The owners here are real
// processes, killed for real.

#include "store/orphaned_runs.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "store/store.hpp"
#include "store_test_support.hpp"
#include "util/temp_dir.hpp"

namespace numalab::store {
namespace {

using namespace numalab::store::testing;

// A numalab in a child process: opens the store, begins a run, tells the parent its id through a
// pipe, then waits (holding the run) until the parent kills it.
class OwnerProcess {
 public:
  explicit OwnerProcess(const std::string& db) {
    int ids[2];
    EXPECT_EQ(::pipe(ids), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ids[0]);
      auto store = ResultsStore::open(db);
      auto id = store ? (*store)->begin_run("numa2", "lab/numa2.toml", "2026-11-22T10:00:00Z")
                      : util::Result<std::string>(std::unexpected(store.error()));
      const std::string said = id ? *id : "error: " + id.error().message;
      if (::write(ids[1], said.data(), said.size()) < 0) ::_exit(2);
      ::close(ids[1]);
      for (;;) ::pause();
    }
    ::close(ids[1]);
    char buf[512];
    ssize_t n = 0;
    while ((n = ::read(ids[0], buf, sizeof buf)) > 0) run_id_.append(buf, static_cast<std::size_t>(n));
    ::close(ids[0]);
  }
  ~OwnerProcess() { kill(); }
  OwnerProcess(const OwnerProcess&) = delete;
  OwnerProcess& operator=(const OwnerProcess&) = delete;

  // SIGKILL, as the kernel's OOM killer or `kill -9` would: numalab cannot record anything.
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  pid_t pid() const { return pid_; }
  const std::string& run_id() const { return run_id_; }

 private:
  pid_t pid_ = -1;
  std::string run_id_;
};

class OrphanedRuns : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = util::ScopedTempDir::create("numalab-orphans-");
    ASSERT_TRUE(dir);
    dir_.emplace(std::move(*dir));
  }
  std::string db() const { return (dir_->path() / "results" / "numalab.db").string(); }
  std::filesystem::path lock_file(const std::string& run_id) const {
    return dir_->path() / "results" / "locks" / (run_id + ".lock");
  }
  std::string verdict_of(ResultsStore& store, const std::string& run_id) {
    auto rows = store.list_runs();
    EXPECT_TRUE(rows);
    for (const auto& r : rows.value_or(std::vector<RunSummaryRow>{}))
      if (r.run_id == run_id) return r.verdict;
    return "(no such run)";
  }

  std::optional<util::ScopedTempDir> dir_;
};

TEST_F(OrphanedRuns, ARunWhoseNumalabWasKilledIsRecordedAsErrorByTheNextOpen) {
  OwnerProcess owner(db());
  ASSERT_EQ(owner.run_id(), "0001");
  const auto pid = owner.pid();
  EXPECT_TRUE(std::filesystem::exists(lock_file("0001")));
  owner.kill();

  auto store = open_store(db());
  ASSERT_NE(store, nullptr);
  ASSERT_EQ(store->orphaned_runs().size(), 1u);
  EXPECT_EQ(store->orphaned_runs()[0], (OrphanedRun{"0001", "numa2", "2026-11-22T10:00:00Z", pid}));
  EXPECT_EQ(verdict_of(*store, "0001"), "error");
  auto run = store->load_run("0001");
  ASSERT_TRUE(run && *run);
  EXPECT_EQ((*run)->reason, "interrupted: the numalab that ran it (pid " + std::to_string(pid) + ") is gone");
  EXPECT_FALSE(std::filesystem::exists(lock_file("0001")));

  auto again = open_store(db());
  ASSERT_NE(again, nullptr);
  EXPECT_TRUE(again->orphaned_runs().empty()) << "said once";
}

TEST_F(OrphanedRuns, ARunWhoseNumalabIsAliveIsLeftRunning) {
  OwnerProcess owner(db());
  ASSERT_EQ(owner.run_id(), "0001");
  {
    auto store = open_store(db());
    ASSERT_NE(store, nullptr);
    EXPECT_TRUE(store->orphaned_runs().empty());
    EXPECT_EQ(verdict_of(*store, "0001"), "running");
    // The live numalab's next run is not confused with it either.
    auto next = store->begin_run("numa2", "lab/numa2.toml", "2026-11-22T10:05:00Z");
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, "0002");
  }
  owner.kill();
  auto store = open_store(db());
  ASSERT_NE(store, nullptr);
  ASSERT_EQ(store->orphaned_runs().size(), 1u);
  EXPECT_EQ(store->orphaned_runs()[0].run_id, "0001");
}

TEST_F(OrphanedRuns, ARunOfThisProcessIsLeftRunning) {
  auto owner = open_store(db());
  ASSERT_NE(owner, nullptr);
  auto id = owner->begin_run("numa2", "lab/numa2.toml", "2026-11-22T10:00:00Z");
  ASSERT_TRUE(id);
  {
    auto other = open_store(db());  // another store in this process: another open of the lock file
    ASSERT_NE(other, nullptr);
    EXPECT_TRUE(other->orphaned_runs().empty());
    EXPECT_EQ(verdict_of(*other, *id), "running");
  }
  owner.reset();  // the claim ends with the store, but the process that wrote it is this one
  auto later = open_store(db());
  ASSERT_NE(later, nullptr);
  EXPECT_TRUE(later->orphaned_runs().empty());
  EXPECT_EQ(verdict_of(*later, *id), "running");
}

TEST_F(OrphanedRuns, AFinishedRunLeavesNoLockFileAndIsNotTouched) {
  auto store = open_store(db());
  ASSERT_NE(store, nullptr);
  auto id = store->begin_run("numa3-memless", "lab/numa3-memless.toml", "2024-05-01T10:00:00Z");
  ASSERT_TRUE(id);
  EXPECT_TRUE(std::filesystem::exists(lock_file(*id)));
  ASSERT_TRUE(store->finish_run(sample_run(*id)));
  EXPECT_FALSE(std::filesystem::exists(lock_file(*id)));
  store.reset();
  auto again = open_store(db());
  ASSERT_NE(again, nullptr);
  EXPECT_TRUE(again->orphaned_runs().empty());
  EXPECT_EQ(verdict_of(*again, *id), "fail");
}

// A running run without a lock file was begun by a numalab older than run claims, which may still
// be running it: left as it is.
TEST_F(OrphanedRuns, ARunWithoutALockFileIsLeftRunning) {
  ASSERT_NE(open_store(db()), nullptr);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &raw), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(raw,
                         "INSERT INTO runs (lab, lab_file, started_at) VALUES ('old', 'lab/old.toml', "
                         "'2024-01-01T00:00:00Z')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  auto store = open_store(db());
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->orphaned_runs().empty());
  EXPECT_EQ(verdict_of(*store, "0001"), "running");
}

TEST_F(OrphanedRuns, AnInMemoryStoreClaimsNothingAndFindsNothing) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->begin_run("numa2", "lab/numa2.toml", "2026-11-22T10:00:00Z"));
  EXPECT_TRUE(store->orphaned_runs().empty());
  EXPECT_FALSE(std::filesystem::exists("locks"));
}

TEST(OrphanedReason, NamesThePidWhenKnown) {
  EXPECT_EQ(orphaned_reason(4242), "interrupted: the numalab that ran it (pid 4242) is gone");
  EXPECT_EQ(orphaned_reason(0), "interrupted: the numalab that ran it is gone");
}

}  // namespace
}  // namespace numalab::store
