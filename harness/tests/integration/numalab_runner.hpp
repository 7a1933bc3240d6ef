#pragma once
// Runs the real numalab binary for integration tests and reads back what it left: exit status,
// output, JSON summary, run folder.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "image/nfs_userland_paths.hpp"
#include "util/cache_dir.hpp"
#include "util/child_process.hpp"
#include "util/temp_dir.hpp"

namespace numalab::itest {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A lab of one guest named "guest" on Debian's kernel: the nodes (cpus as a TOML array, memory as
// a size), `machine_extra` lines in the [[machine]] table, then `rest` (the [[workload]] tables).
struct LabNode {
  std::string cpus;    // "[0, 1]"
  std::string memory;  // "512M", "0"
};
inline const std::vector<LabNode> k_two_nodes = {{"[0, 1]", "512M"},
                                                 {"[2, 3]", "512M"}};  // lab/default.toml's
inline const std::vector<LabNode> k_two_small_nodes = {{"[0]", "256M"}, {"[1]", "256M"}};

inline std::string debian_guest_lab(const std::string& name, const std::vector<LabNode>& nodes,
                                    const std::string& rest, const std::string& machine_extra = "") {
  std::string lab =
      "name = \"" + name + "\"\n[[machine]]\nname = \"guest\"\nkernel = \"debian\"\n" + machine_extra;
  for (const auto& n : nodes)
    lab += "  [[machine.node]]\n  cpus = " + n.cpus + "\n  memory = \"" + n.memory + "\"\n";
  return lab + rest;
}

struct Invocation {
  int exit_code = -1;
  std::string out, err;
  nlohmann::json summary;  // --json output, when asked for
};

class NumalabFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = util::ScopedTempDir::create("numalab-itest-");
    ASSERT_TRUE(dir) << dir.error().message;
    tmp_ = std::make_unique<util::ScopedTempDir>(std::move(*dir));
    if (!std::filesystem::exists(util::cache_dir() / "kernels/debian/current/.complete"))
      GTEST_SKIP()
          << "Debian's kernel is not in numalab's cache: run kernels/fetch-debian-kernel (make test does)";
    if (std::system("command -v qemu-system-x86_64 >/dev/null") != 0)
      GTEST_SKIP() << "qemu-system-x86_64 is not installed";
  }

  std::filesystem::path tmp() const { return tmp_->path(); }
  std::filesystem::path results() const { return tmp() / "results"; }
  static std::filesystem::path source(const std::string& rel) {
    return std::filesystem::path(NUMALAB_SOURCE_DIR) / rel;
  }

  std::filesystem::path write_lab(const std::string& name, const std::string& text) {
    auto p = tmp() / name;
    std::ofstream(p) << text;
    return p;
  }

  // Starts numalab with args; the caller waits or signals.
  util::ChildProcess start(std::vector<std::string> args) {
    args.insert(args.begin(), NUMALAB_BINARY);
    util::ChildOptions opts;
    opts.stdout_path = tmp() / "stdout.txt";
    opts.stderr_path = tmp() / "stderr.txt";
    auto child = util::ChildProcess::spawn(args, opts);
    EXPECT_TRUE(child) << child.error().message;
    return std::move(*child);
  }

  Invocation finish(util::ChildProcess& child, std::chrono::seconds limit = std::chrono::seconds(240)) {
    Invocation inv;
    auto st = child.wait_until(util::Deadline::after(limit));
    if (!st) {
      child.stop();
      ADD_FAILURE() << "numalab did not finish within " << limit.count() << " s";
    } else if (st->exit_code) {
      inv.exit_code = *st->exit_code;
    }
    inv.out = slurp(tmp() / "stdout.txt");
    inv.err = slurp(tmp() / "stderr.txt");
    if (std::filesystem::exists(tmp() / "summary.json"))
      inv.summary = nlohmann::json::parse(slurp(tmp() / "summary.json"), nullptr, false);
    return inv;
  }

  // numalab run LAB --results TMP/results --json TMP/summary.json EXTRA..., given `limit` to finish.
  Invocation run(const std::filesystem::path& lab, std::vector<std::string> extra = {},
                 std::chrono::seconds limit = std::chrono::seconds(240)) {
    std::vector<std::string> args = {
        "run", lab.string(), "--results", results().string(), "--json", (tmp() / "summary.json").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto child = start(args);
    return finish(child, limit);
  }

 private:
  std::unique_ptr<util::ScopedTempDir> tmp_;
};

// For tests that build lab kernels from Debian's linux-source-6.1 (or find them in the cache).
class LabKernelFixture : public NumalabFixture {
 protected:
  void SetUp() override {
    NumalabFixture::SetUp();
    if (IsSkipped()) return;
    if (!std::filesystem::exists("/usr/src/linux-source-6.1.tar.xz"))
      GTEST_SKIP() << "linux-source-6.1 is not installed (make deps installs it)";
  }
};

// Labs with an nfs-server machine: the lab kernel, and the NFS userland that make test fetches.
class NfsLabFixture : public LabKernelFixture {
 protected:
  void SetUp() override {
    LabKernelFixture::SetUp();
    if (IsSkipped()) return;
    if (!std::filesystem::exists(util::cache_dir() / image::nfs_userland::k_cache_root / "usr/sbin/rpc.nfsd"))
      GTEST_SKIP() << "the NFS server's userland is not in numalab's cache: run scripts/fetch-nfs-userland "
                      "(make test does)";
  }
};

// Processes whose command line mentions `needle` (e.g. a test's private results folder).
inline std::vector<int> processes_mentioning(const std::string& needle) {
  std::vector<int> pids;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const auto name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = slurp(e.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find("qemu-system") != std::string::npos && cmdline.find(needle) != std::string::npos)
      pids.push_back(std::stoi(name));
  }
  return pids;
}

}  // namespace numalab::itest
