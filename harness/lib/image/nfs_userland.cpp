#include "image/nfs_userland.hpp"

#include "image/elf_dependencies.hpp"
#include "image/nfs_userland_paths.hpp"
#include "util/file_contents.hpp"

namespace numalab::image {

namespace {

using util::ErrorKind;
using util::fail;
namespace paths = nfs_userland;

// Accounts and name databases of the guest: rpcbind drops to _rpc; everything resolves from files.
constexpr const char* k_passwd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "_rpc:x:100:65534::/run/rpcbind:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
constexpr const char* k_group = "root:x:0:\nnogroup:x:65534:\n";
constexpr const char* k_nsswitch =
    "passwd: files\ngroup: files\nshadow: files\nhosts: files\nnetworks: files\nprotocols: files\n"
    "services: files\nrpc: files\nnetgroup: files\n";
constexpr const char* k_services =
    "sunrpc\t111/tcp\tportmapper\nsunrpc\t111/udp\tportmapper\nnfs\t2049/tcp\nnfs\t2049/udp\n";
constexpr const char* k_protocols = "ip\t0\tIP\nicmp\t1\tICMP\ntcp\t6\tTCP\nudp\t17\tUDP\n";
constexpr const char* k_rpc =
    "portmapper\t100000\tportmap sunrpc rpcbind\nnfs\t100003\tnfsprog\nmountd\t100005\tmount showmount\n"
    "nlockmgr\t100021\nstatus\t100024\n";

ImageEntry file(std::string path, std::string data, std::uint32_t mode = 0644) {
  return {ImageEntry::Kind::file, std::move(path), std::move(data), mode};
}

}  // namespace

const std::vector<std::filesystem::path>& host_library_dirs() {
  static const std::vector<std::filesystem::path> dirs = {"/lib/x86_64-linux-gnu",
                                                          "/usr/lib/x86_64-linux-gnu"};
  return dirs;
}

util::Result<std::vector<ImageEntry>> nfs_server_image_entries(const std::filesystem::path& cache_dir) {
  const auto root = cache_dir / paths::k_cache_root;
  std::vector<ImageEntry> out;
  std::vector<std::filesystem::path> programs;
  for (const char* p : paths::k_programs) {
    const auto host = root / (p + 1);
    auto data = util::read_file(host);
    if (!data)
      return fail(ErrorKind::cannot_run, "the NFS server's programs are missing (" + host.string() +
                                             "): run scripts/fetch-nfs-userland (make deps does)");
    out.push_back(file(p, std::move(*data), 0755));
    programs.push_back(host);
  }
  std::vector<std::filesystem::path> search = {root / "lib/x86_64-linux-gnu",
                                               root / "usr/lib/x86_64-linux-gnu"};
  search.insert(search.end(), host_library_dirs().begin(), host_library_dirs().end());
  auto closure = library_closure(programs, search);
  if (!closure) return std::unexpected(closure.error());
  const std::string lib_dir = paths::k_guest_lib_dir;
  for (const auto& lib : closure->libraries) {
    auto data = util::read_file(lib.host_path);  // through symlinks: the guest gets the file under its soname
    if (!data) return std::unexpected(data.error());
    out.push_back(file(lib_dir + "/" + lib.soname, std::move(*data), 0755));
  }
  for (const auto& interp : closure->interpreters) {
    const auto name = std::filesystem::path(interp).filename().string();
    if (interp == lib_dir + "/" + name) continue;
    out.push_back({ImageEntry::Kind::symlink, interp, lib_dir + "/" + name, 0777});
    bool shipped = false;
    for (const auto& lib : closure->libraries) shipped = shipped || lib.soname == name;
    if (shipped) continue;
    auto data = util::read_file(interp);
    if (!data) return std::unexpected(data.error());
    out.push_back(file(lib_dir + "/" + name, std::move(*data), 0755));
  }
  for (const char* p : paths::k_package_files) {
    auto data = util::read_file(root / (p + 1));
    if (!data) return std::unexpected(data.error());
    out.push_back(file(p, std::move(*data)));
  }
  for (auto [path, text] : {std::pair{"/etc/passwd", k_passwd},
                            {"/etc/group", k_group},
                            {"/etc/nsswitch.conf", k_nsswitch},
                            {"/etc/services", k_services},
                            {"/etc/protocols", k_protocols},
                            {"/etc/rpc", k_rpc}})
    out.push_back(file(path, text));
  out.push_back({ImageEntry::Kind::directory, paths::k_state_dir, "", 0755});
  out.push_back({ImageEntry::Kind::directory, paths::k_v4_recovery_dir, "", 0700});
  out.push_back(file(std::string(paths::k_state_dir) + "/etab", ""));
  out.push_back(file(std::string(paths::k_state_dir) + "/rmtab", ""));
  return out;
}

}  // namespace numalab::image
