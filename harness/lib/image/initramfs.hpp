#pragma once
// The guest image: an initramfs whose /init is numalab's statically linked agent, with
// busybox-static for a shell and its tools, and the kernel modules the guest needs. Built images
// are cached under CACHE/images/<key>.cpio, where the key hashes every input.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace numalab::image {

inline constexpr int k_image_format = 1;  // bump when the image layout changes

struct KernelModules {
  std::filesystem::path modules_dir;  // lib/modules/RELEASE of the kernel that will boot
  std::string release;
  std::vector<std::string> names;  // wanted; dependencies are added
};

// One more entry of the image beyond the agent, busybox and modules: a file, a folder or a symlink.
struct ImageEntry {
  enum class Kind { file, directory, symlink };
  Kind kind = Kind::file;
  std::string path;  // absolute in the guest: "/usr/sbin/rpc.nfsd"
  std::string data;  // a file's contents, a symlink's target
  std::uint32_t mode = 0644;
};

struct InitramfsRecipe {
  std::filesystem::path agent;  // numalab-agent, static
  std::filesystem::path busybox = "/bin/busybox";
  std::optional<KernelModules> modules;
  std::vector<ImageEntry> extras;  // e.g. the NFS server's userland (nfs_userland.hpp); hashed
                                   // into the key only when present, so other images keep theirs
};

struct BuiltImage {
  std::filesystem::path path;
  std::string key;
  bool cached = false;  // true when no work was done
};

// The modules every guest loads (virtio console for the agent, pvpanic for crash reports).
const std::vector<std::string>& base_guest_modules();

util::Result<BuiltImage> build_initramfs(const InitramfsRecipe& recipe,
                                         const std::filesystem::path& cache_dir);

}  // namespace numalab::image
