#include "workloads/nfs_server/nfs_server_self_check.hpp"

#include <fcntl.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "common/nfs_mount.hpp"
#include "common/proc_file.hpp"
#include "util/unique_fd.hpp"

namespace numalab::guest {

namespace {

constexpr const char* k_mount_point = "/run/numalab-nfs/self-check";
constexpr const char* k_file = ".numalab-self-check";
constexpr std::size_t k_bytes = 64 * 1024;
// Soft, short timeouts: a broken server fails the check instead of hanging the agent in mount(2).
const std::vector<std::string> k_options = {"soft", "timeo=50", "retrans=2"};

std::string pattern() {
  std::string p(k_bytes, '\0');
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<char>((i * 131 + i / 4096) & 0xff);
  return p;
}

std::expected<void, std::string> write_file(const std::filesystem::path& p, const std::string& data) {
  util::UniqueFd fd(::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) return std::unexpected("create " + p.string() + " over NFS: " + std::strerror(errno));
  if (::write(fd.get(), data.data(), data.size()) != static_cast<ssize_t>(data.size()))
    return std::unexpected("write " + p.string() + " over NFS: " + std::strerror(errno));
  if (::fsync(fd.get()) != 0)
    return std::unexpected("fsync " + p.string() + " over NFS: " + std::strerror(errno));
  return {};
}

// O_DIRECT: the bytes come from the server, not from the client's page cache.
std::expected<std::string, std::string> read_direct(const std::filesystem::path& p) {
  util::UniqueFd fd(::open(p.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
  if (!fd) return std::unexpected("open " + p.string() + " over NFS (O_DIRECT): " + std::strerror(errno));
  std::unique_ptr<void, decltype(&std::free)> buf(std::aligned_alloc(4096, k_bytes), &std::free);
  if (!buf) return std::unexpected(std::string("aligned_alloc failed"));
  const ssize_t n = ::read(fd.get(), buf.get(), k_bytes);
  if (n < 0) return std::unexpected("read " + p.string() + " over NFS: " + std::strerror(errno));
  return std::string(static_cast<const char*>(buf.get()), static_cast<std::size_t>(n));
}

std::expected<void, std::string> check_v3(const std::filesystem::path& export_dir) {
  const std::string data = pattern();
  const auto file = std::filesystem::path(k_mount_point) / k_file;
  if (auto w = write_file(file, data); !w) return w;
  auto on_server = read_proc_file(export_dir / k_file, 2 * k_bytes);
  if (!on_server || *on_server != data)
    return std::unexpected("a file written over NFSv3 is not on the server's " + export_dir.string() +
                           (on_server ? " with the same bytes" : ": " + on_server.error()));
  auto back = read_direct(file);
  if (!back) return std::unexpected(back.error());
  if (*back != data)
    return std::unexpected("a file read back over NFSv3 differs (" + std::to_string(back->size()) + " of " +
                           std::to_string(data.size()) + " bytes read)");
  if (::unlink(file.c_str()) != 0)
    return std::unexpected("unlink " + file.string() + " over NFS: " + std::strerror(errno));
  return {};
}

std::expected<void, std::string> mounted(const std::string& version,
                                         const std::filesystem::path& export_dir) {
  workload::NfsMountSpec spec{"127.0.0.1", export_dir.string(), version, k_options};
  if (auto m = mount_nfs(spec, k_mount_point); !m)
    return std::unexpected("NFSv" + version + ": " + m.error());
  std::expected<void, std::string> r;
  if (version == "3") {
    r = check_v3(export_dir);
  } else {
    struct statfs st {};
    if (::statfs(k_mount_point, &st) != 0)
      r = std::unexpected("statfs " + std::string(k_mount_point) + " over NFSv" + version + ": " +
                          std::strerror(errno));
  }
  if (!r) {  // what the failed check left must not keep the client flushing to a stopped server
    std::error_code ec;
    std::filesystem::remove(std::filesystem::path(k_mount_point) / k_file, ec);
  }
  auto u = unmount(k_mount_point, true);
  if (!r) return std::unexpected("NFSv" + version + ": " + r.error() + (u ? "" : "; then " + u.error()));
  if (!u) return std::unexpected("NFSv" + version + ": " + u.error());
  return {};
}

}  // namespace

std::expected<void, std::string> nfs_self_check(const std::filesystem::path& export_dir) {
  if (auto r = mounted("3", export_dir); !r) return r;
  return mounted("4.2", export_dir);
}

}  // namespace numalab::guest
