// The store on real files: migration, WAL, refusal of newer or foreign files, and several
// numalab processes (here: several connections) sharing one database.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "store/schema.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace numalab::store {
namespace {

using namespace numalab::store::testing;

class ScopedTempDir {
 public:
  ScopedTempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "numalab-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScopedTempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A connection that bypasses the store, to look at (or tamper with) the file as another tool would.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDatabase() { sqlite3_close(db_); }
  RawDatabase(const RawDatabase&) = delete;
  RawDatabase& operator=(const RawDatabase&) = delete;

  std::string text(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr)
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return out;
  }
  void exec(const char* sql) {
    EXPECT_EQ(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(ResultsStoreFile, MigratesAnEmptyFileTurnsOnWalAndReopens) {
  ScopedTempDir dir;
  const std::string path = dir.file("results/numalab.db");
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path).close();  // an empty file is an empty database at version 0
  std::string run_id;
  {
    auto store = open_store(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), k_schema_version);
    run_id = store_sample(*store).run_id;
  }
  RawDatabase raw(path);
  EXPECT_EQ(raw.text("PRAGMA user_version"), std::to_string(k_schema_version));
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.text("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema "
                     "WHERE type = 'table' ORDER BY name)"),
            "compare_runs,compares,fault_resumed,faults,kernel_reports,kernels,machines,metrics,runs,samples,"
            "workload_state,"
            "workloads");

  auto reopened = open_store(path);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->schema_version(), k_schema_version);
  auto loaded = reopened->load_run(run_id);
  ASSERT_TRUE(loaded.has_value() && loaded->has_value());
  expect_same_run(sample_run(run_id), **loaded);
}

TEST(ResultsStoreFile, AVersion1DatabaseKeepsItsRunsAfterMigration) {
  // A results database written by the first numalab: its runs stay readable, metrics not absent.
  ScopedTempDir dir;
  const std::string path = dir.file("numalab.db");
  {
    RawDatabase raw(path);
    raw.exec(migrations()[0].sql);
    raw.exec("PRAGMA user_version = 1");
    raw.exec(
        "INSERT INTO runs (id, lab, lab_file, started_at, verdict) VALUES (1, 'l', 'l.toml', 't', 'pass')");
    raw.exec("INSERT INTO kernels (id, name, release, sha256, path) VALUES (1, 'debian', 'r', 's', 'p')");
    raw.exec(
        "INSERT INTO machines (run_id, name, accel, accel_reason, boot_seconds, kernel_id, kernel_path) "
        "VALUES (1, 'guest', 'tcg', '', 1, 1, 'p')");
    raw.exec(
        "INSERT INTO workloads (id, run_id, machine, name, verdict, detail, elapsed_s) "
        "VALUES (1, 1, 'guest', 'topology-check', 'pass', '', 0.5)");
    raw.exec(
        "INSERT INTO metrics (workload_id, name, value, unit, better) VALUES (1, 'nodes', 2, '', 'none')");
  }
  auto store = open_store(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->schema_version(), k_schema_version);
  auto run = store->load_run("0001");
  ASSERT_TRUE(run.has_value() && run->has_value());
  const auto& metric = (*run)->workloads.at(0).metrics.at("nodes");
  EXPECT_EQ(metric.value, 2);
  EXPECT_FALSE(metric.absent);
}

TEST(ResultsStoreFile, CreatesTheFolderOfANewDatabase) {
  ScopedTempDir dir;
  const std::string path = dir.file("new/results/numalab.db");
  auto store = open_store(path);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(ResultsStoreFile, RefusesADatabaseFromANewerNumalab) {
  ScopedTempDir dir;
  const std::string path = dir.file("numalab.db");
  { RawDatabase(path).exec("PRAGMA user_version = 99"); }
  auto store = ResultsStore::open(path);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().kind, util::ErrorKind::cannot_run);
  EXPECT_EQ(store.error().message, "results database " + path + " has schema version 99; " +
                                       "this numalab knows up to " + std::to_string(k_schema_version) +
                                       ": upgrade numalab");
}

TEST(ResultsStoreFile, RefusesAFileThatIsNotADatabase) {
  ScopedTempDir dir;
  const std::string path = dir.file("numalab.db");
  std::ofstream(path) << "name = \"numa3-memless\"\n[[machine]]\nname = \"guest\"\n"
                      << std::string(4096, 'x');
  auto store = ResultsStore::open(path);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().kind, util::ErrorKind::cannot_run);
  EXPECT_EQ(store.error().message, "results database " + path + ": file is not a database");
}

TEST(ResultsStoreFile, TwoStoresOnOneFileBothWrite) {
  ScopedTempDir dir;
  const std::string path = dir.file("numalab.db");
  auto first = open_store(path);
  auto second = open_store(path);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  auto a = first->begin_run("lab-a", "lab/a.toml", "2024-05-01T10:00:00Z");
  auto b = second->begin_run("lab-b", "lab/b.toml", "2024-05-01T10:00:01Z");
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(*a, "0001");
  EXPECT_EQ(*b, "0002");
  ASSERT_TRUE(second->finish_run(sample_run(*b)).has_value());
  ASSERT_TRUE(first->finish_run(sample_run(*a)).has_value());
  for (ResultsStore* store : {first.get(), second.get()}) {
    auto runs = store->list_runs();
    ASSERT_TRUE(runs.has_value());
    ASSERT_EQ(runs->size(), 2u);
    EXPECT_EQ((*runs)[0].run_id, "0002");
    EXPECT_EQ((*runs)[1].run_id, "0001");
  }
  auto loaded = first->load_run(*b);
  ASSERT_TRUE(loaded.has_value() && loaded->has_value());
  expect_same_run(sample_run(*b), **loaded);
}

TEST(ResultsStoreFile, AWriterWaitsForAnotherProcessToCommit) {
  ScopedTempDir dir;
  const std::string path = dir.file("numalab.db");
  auto store = open_store(path);
  ASSERT_NE(store, nullptr);
  RawDatabase other(path);
  other.exec("BEGIN IMMEDIATE");  // another numalab holds the write lock for a moment
  std::thread release([&other] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    other.exec("COMMIT");
  });
  const auto start = std::chrono::steady_clock::now();
  auto id = store->begin_run("numa3-memless", "lab/numa3-memless.toml", "2024-05-01T10:00:00Z");
  const auto waited = std::chrono::steady_clock::now() - start;
  release.join();
  ASSERT_TRUE(id.has_value()) << id.error().message;
  EXPECT_GE(waited, std::chrono::milliseconds(250));
}

TEST(ResultsStoreFile, ConcurrentWritersFromTwoThreadsAllLand) {
  ScopedTempDir dir;
  const std::string path = dir.file("numalab.db");
  ASSERT_NE(open_store(path), nullptr);  // create the schema once, up front
  constexpr int k_runs_each = 10;
  auto writer = [&path] {
    auto store = open_store(path);
    if (store == nullptr) return;
    for (int i = 0; i < k_runs_each; ++i) store_sample(*store);
  };
  std::thread one(writer);
  std::thread two(writer);
  one.join();
  two.join();
  auto store = open_store(path);
  ASSERT_NE(store, nullptr);
  auto runs = store->list_runs(-1);
  ASSERT_TRUE(runs.has_value());
  EXPECT_EQ(runs->size(), 2u * k_runs_each);
  RawDatabase raw(path);
  EXPECT_EQ(raw.text("SELECT count(*) FROM kernels"), "2");  // each kernel stored once
  EXPECT_EQ(raw.text("SELECT count(*) FROM runs WHERE verdict = 'running'"), "0");
}

TEST(ResultsStoreFile, SeveralStoresCreatingOneNewDatabaseAtOnceAllSucceed) {
  // Two numalab commands started together on a fresh results folder race to create the schema
  // and switch the file to WAL; neither may fail with "database is locked".
  ScopedTempDir dir;
  constexpr int k_databases = 8;
  constexpr int k_stores = 4;
  for (int i = 0; i < k_databases; ++i) {
    const std::string path = dir.file("race" + std::to_string(i) + ".db");
    std::vector<std::thread> stores;
    for (int s = 0; s < k_stores; ++s)
      stores.emplace_back([&path] {
        auto store = open_store(path);
        if (store == nullptr) return;
        EXPECT_TRUE(store->begin_run("lab", "lab.toml", "t").has_value());
      });
    for (auto& t : stores) t.join();
    ASSERT_EQ(RawDatabase(path).text("SELECT count(*) FROM runs"), std::to_string(k_stores));
  }
}

TEST(ResultsStoreFile, AKernelSeenAtANewPathKeepsOldRunsIntact) {
  ScopedTempDir dir;
  const std::string path = dir.file("numalab.db");
  auto store = open_store(path);
  ASSERT_NE(store, nullptr);
  const result::RunResult first = store_sample(*store);
  auto id = store->begin_run("numa3-memless", "lab/numa3-memless.toml", "2024-05-02T10:00:00Z");
  ASSERT_TRUE(id.has_value());
  result::RunResult second = sample_run(*id);
  second.machines[0].kernel.path = "/srv/kernels/vmlinuz";
  ASSERT_TRUE(store->finish_run(second).has_value());

  RawDatabase raw(path);
  EXPECT_EQ(raw.text("SELECT count(*) FROM kernels"), "2");
  EXPECT_EQ(raw.text("SELECT path FROM kernels WHERE name = 'debian'"), "/srv/kernels/vmlinuz");
  auto loaded = store->load_run(first.run_id);
  ASSERT_TRUE(loaded.has_value() && loaded->has_value());
  expect_same_run(first, **loaded);
}

}  // namespace
}  // namespace numalab::store
