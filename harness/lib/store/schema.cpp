#include "store/schema.hpp"

#include <array>
#include <string>

#include "store/store.hpp"

namespace numalab::store {

namespace {

// Version 1. STRICT tables: SQLite checks column types. A run's rows go away with it (ON DELETE
// CASCADE through machines, workloads, metrics); a kernel stays while a machine row uses it.
constexpr const char* k_schema_v1 = R"sql(
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  lab         TEXT NOT NULL,
  lab_file    TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  duration_s  REAL NOT NULL DEFAULT 0,
  verdict     TEXT NOT NULL DEFAULT 'running'
              CHECK (verdict IN ('running', 'pass', 'fail', 'error', 'hang', 'crash')),
  reason      TEXT NOT NULL DEFAULT '',
  run_dir     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE kernels (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL,
  release  TEXT NOT NULL,
  sha256   TEXT NOT NULL,
  path     TEXT NOT NULL,  -- where the image was last seen
  UNIQUE (name, sha256, release)
) STRICT;

CREATE TABLE machines (
  id             INTEGER PRIMARY KEY,  -- insertion order is the run's machine order
  run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  accel          TEXT NOT NULL,
  accel_reason   TEXT NOT NULL,
  boot_seconds   REAL NOT NULL,
  kernel_id      INTEGER NOT NULL REFERENCES kernels (id),
  kernel_path    TEXT NOT NULL,  -- the image this machine booted
  topology_seen  TEXT CHECK (topology_seen IS NULL OR json_valid(topology_seen)),
  UNIQUE (run_id, name)
) STRICT;
CREATE INDEX machines_by_kernel ON machines (kernel_id);

CREATE TABLE workloads (
  id         INTEGER PRIMARY KEY,  -- insertion order is the run's workload order
  run_id     INTEGER NOT NULL,
  machine    TEXT NOT NULL,
  name       TEXT NOT NULL,
  verdict    TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'error', 'hang', 'crash')),
  detail     TEXT NOT NULL,
  elapsed_s  REAL NOT NULL,
  FOREIGN KEY (run_id, machine) REFERENCES machines (run_id, name) ON DELETE CASCADE
) STRICT;
CREATE INDEX workloads_by_machine ON workloads (run_id, machine);

CREATE TABLE metrics (
  workload_id  INTEGER NOT NULL REFERENCES workloads (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  value        REAL,  -- NULL stands for NaN, which SQLite cannot store
  unit         TEXT NOT NULL,
  better       TEXT NOT NULL CHECK (better IN ('lower', 'higher', 'none')),
  PRIMARY KEY (workload_id, name)
) STRICT;
)sql";

// Version 2: a metric the guest kernel does not have is stored as absent (value NULL, absent 1),
// never as 0; workloads' time series (locality once a second...) in samples.
constexpr const char* k_schema_v2 = R"sql(
ALTER TABLE metrics ADD COLUMN absent INTEGER NOT NULL DEFAULT 0 CHECK (absent IN (0, 1));

CREATE TABLE samples (
  workload_id  INTEGER NOT NULL REFERENCES workloads (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  seq          INTEGER NOT NULL,  -- arrival order within (workload, name)
  at_s         REAL NOT NULL,
  value        REAL,
  PRIMARY KEY (workload_id, name, seq)
) STRICT;
)sql";

// Version 3: comparisons (numalab compare). A compare is its plan (kernel and repetition of every
// run, in the interleaved order they run) and the runs that finished, so an interrupted compare
// resumes where it stopped and an old one re-renders from the database alone (--from-db). The
// kernels' identities, the machines' topologies and the options are JSON: written once, read whole.
constexpr const char* k_schema_v3 = R"sql(
CREATE TABLE compares (
  id          INTEGER PRIMARY KEY,
  lab         TEXT NOT NULL,
  lab_file    TEXT NOT NULL,
  lab_sha256  TEXT NOT NULL,  -- of the lab file's text: a resume must run the same lab
  started_at  TEXT NOT NULL,
  duration_s  REAL NOT NULL DEFAULT 0,
  repeat      INTEGER NOT NULL CHECK (repeat >= 1),
  state       TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'interrupted', 'complete')),
  options     TEXT NOT NULL CHECK (json_valid(options)),
  kernels     TEXT NOT NULL CHECK (json_valid(kernels)),
  machines    TEXT NOT NULL CHECK (json_valid(machines))
) STRICT;

CREATE TABLE compare_runs (
  compare_id  INTEGER NOT NULL REFERENCES compares (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,  -- 1-based position in the plan
  kernel      INTEGER NOT NULL,  -- index into compares.kernels; 0 is the baseline
  repetition  INTEGER NOT NULL,
  run_id      INTEGER REFERENCES runs (id) ON DELETE SET NULL,  -- NULL until the run finished
  PRIMARY KEY (compare_id, seq)
) STRICT;
)sql";

// Version 4: what the guest kernels reported on their consoles (normalised titles, so one bug is
// one title across runs), and the faults a lab injected, as they happened.
constexpr const char* k_schema_v4 = R"sql(
CREATE TABLE kernel_reports (
  run_id      INTEGER NOT NULL,
  machine     TEXT NOT NULL,
  seq         INTEGER NOT NULL,  -- order on the machine's console
  kind        TEXT NOT NULL,
  title       TEXT NOT NULL,
  first_line  TEXT NOT NULL,
  task        TEXT NOT NULL,
  pid         INTEGER NOT NULL,  -- -1: the kernel did not say
  cpu         INTEGER NOT NULL,
  stack       TEXT NOT NULL CHECK (json_valid(stack)),
  console_line INTEGER NOT NULL,
  PRIMARY KEY (run_id, machine, seq),
  FOREIGN KEY (run_id, machine) REFERENCES machines (run_id, name) ON DELETE CASCADE
) STRICT;
CREATE INDEX kernel_reports_by_title ON kernel_reports (title);

CREATE TABLE faults (
  run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  machine      TEXT NOT NULL,
  network      TEXT NOT NULL,
  planned_at_s REAL NOT NULL,
  duration_s   REAL NOT NULL,
  applied_at_s REAL,
  ended_at_s   REAL,
  first_progress_after_s REAL,
  detail       TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT;
)sql";

// Version 5: a fault's clock may start at a progress counter's first move; for each fault, every
// progress counter that moved again after it ended, and when.
constexpr const char* k_schema_v5 = R"sql(
ALTER TABLE faults ADD COLUMN after_counter TEXT NOT NULL DEFAULT '';
CREATE TABLE fault_resumed (
  run_id      INTEGER NOT NULL,
  fault_seq   INTEGER NOT NULL,
  machine     TEXT NOT NULL,
  counter     TEXT NOT NULL,
  after_s     REAL NOT NULL,
  PRIMARY KEY (run_id, fault_seq, machine, counter),
  FOREIGN KEY (run_id, fault_seq) REFERENCES faults (run_id, seq) ON DELETE CASCADE
) STRICT;
)sql";

// Version 6: what the agent's clean-state contract put back after each workload (restored) and
// what stayed different (left), one row per line the agent sent, in its order.
constexpr const char* k_schema_v6 = R"sql(
CREATE TABLE workload_state (
  workload_id INTEGER NOT NULL REFERENCES workloads (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('restored', 'left')),
  text        TEXT NOT NULL,
  PRIMARY KEY (workload_id, seq)
) STRICT;
)sql";

// Version 7: how each machine reached its agent's hello: a cold boot, or a restore of a startup
// cache entry (its key); why a machine asked to restore booted fresh.
constexpr const char* k_schema_v7 = R"sql(
ALTER TABLE machines ADD COLUMN boot TEXT NOT NULL DEFAULT 'fresh' CHECK (boot IN ('fresh', 'restore'));
ALTER TABLE machines ADD COLUMN startup_key TEXT NOT NULL DEFAULT '';
ALTER TABLE machines ADD COLUMN boot_note TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::array k_migrations = {
    Migration{1, k_schema_v1}, Migration{2, k_schema_v2}, Migration{3, k_schema_v3},
    Migration{4, k_schema_v4}, Migration{5, k_schema_v5}, Migration{6, k_schema_v6},
    Migration{7, k_schema_v7},
};
static_assert(k_migrations.back().version == k_schema_version,
              "k_schema_version must name the last migration step");

util::Result<int> read_version(const Database& db) {
  auto version = db.query_int("PRAGMA user_version");
  if (!version) return std::unexpected(version.error());
  if (*version > k_schema_version)
    return std::unexpected(util::Error{util::ErrorKind::cannot_run,
                                       "results database " + db.path() + " has schema version " +
                                           std::to_string(*version) + "; this numalab knows up to " +
                                           std::to_string(k_schema_version) + ": upgrade numalab"});
  return static_cast<int>(*version);
}

util::Result<void> apply(const Database& db, const Migration& step) {
  auto tx = Transaction::begin(db, Transaction::Mode::write);
  if (!tx) return std::unexpected(tx.error());
  auto version = read_version(db);  // another process may have applied this step meanwhile
  if (!version) return std::unexpected(version.error());
  if (*version >= step.version) return {};
  if (auto ok = db.exec(step.sql); !ok) return ok;
  // PRAGMA takes no bound parameters; the number is this program's own constant.
  const std::string set_version = "PRAGMA user_version = " + std::to_string(step.version);
  if (auto ok = db.exec(set_version.c_str()); !ok) return ok;
  return tx->commit();
}

}  // namespace

std::span<const Migration> migrations() { return k_migrations; }

util::Result<int> migrate(const Database& db) {
  auto version = read_version(db);
  if (!version) return version;
  for (const Migration& step : k_migrations) {
    if (step.version <= *version) continue;
    if (auto ok = apply(db, step); !ok) return std::unexpected(ok.error());
  }
  return read_version(db);
}

}  // namespace numalab::store
