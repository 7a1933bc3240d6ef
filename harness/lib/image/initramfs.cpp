#include "image/initramfs.hpp"

#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "image/cpio_writer.hpp"
#include "image/elf_dependencies.hpp"
#include "image/module_closure.hpp"
#include "util/child_process.hpp"
#include "util/file_contents.hpp"
#include "util/sha256.hpp"

namespace numalab::image {

namespace {

using util::ErrorKind;
using util::fail;

// Every parent folder of `path`, outermost first, each once over the whole archive.
void add_parents(CpioWriter& cpio, std::set<std::string>& made, std::string_view path) {
  for (std::size_t slash = path.find('/', 1); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    std::string dir(path.substr(0, slash));
    if (made.insert(dir).second) cpio.directory(dir);
  }
}

struct Inputs {
  std::string agent, busybox;
  std::vector<std::string> applets;                          // "bin/sh", "sbin/ifconfig", ...
  std::vector<std::pair<std::string, std::string>> modules;  // relative path, contents
};

std::string image_key(const Inputs& in, const InitramfsRecipe& r) {
  util::Sha256 h;
  h.update("numalab-initramfs " + std::to_string(k_image_format) + "\n");
  h.update(util::sha256_hex(in.agent) + "\n" + util::sha256_hex(in.busybox) + "\n");
  for (const auto& a : in.applets) h.update(a + "\n");
  if (r.modules) h.update("release " + r.modules->release + "\n");
  for (const auto& [path, data] : in.modules) h.update(path + " " + util::sha256_hex(data) + "\n");
  for (const auto& e : r.extras)
    h.update("extra " + std::to_string(static_cast<int>(e.kind)) + " " + e.path + " " +
             std::to_string(e.mode) + " " + util::sha256_hex(e.data) + "\n");
  return h.hex_digest().substr(0, 24);
}

void write_extra(CpioWriter& cpio, std::set<std::string>& made, const ImageEntry& e) {
  add_parents(cpio, made, e.path);
  switch (e.kind) {
    case ImageEntry::Kind::file:
      cpio.file(e.path, e.data, e.mode);
      break;
    case ImageEntry::Kind::symlink:
      cpio.symlink(e.path, e.data);
      break;
    case ImageEntry::Kind::directory:
      if (made.insert(e.path).second) cpio.directory(e.path, e.mode);
      break;
  }
}

void write_image(std::ostream& out, const Inputs& in, const InitramfsRecipe& r) {
  CpioWriter cpio(out);
  std::set<std::string> made;
  for (const char* d : {"/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/dev", "/proc", "/sys", "/tmp",
                        "/run", "/etc", "/etc/numalab", "/root", "/mnt"})
    if (made.insert(d).second) cpio.directory(d);
  cpio.char_device("/dev/console", 5, 1);
  cpio.char_device("/dev/null", 1, 3, 0666);
  cpio.file("/init", in.agent, 0755);
  cpio.file("/bin/busybox", in.busybox, 0755);
  std::set<std::string> extra_paths;
  for (const auto& e : r.extras) extra_paths.insert(e.path);
  for (const auto& applet : in.applets) {
    const std::string path = "/" + applet;
    if (path == "/bin/busybox" || path == "/init" || path == "/linuxrc") continue;
    if (extra_paths.contains(path)) continue;  // the real program wins over the applet
    add_parents(cpio, made, path);
    cpio.symlink(path, "/bin/busybox");
  }
  std::string load_list;
  for (const auto& [rel, data] : in.modules) {
    const std::string path = "/lib/modules/" + r.modules->release + "/" + rel;
    add_parents(cpio, made, path);
    cpio.file(path, data, 0644);
    load_list += rel + "\n";
  }
  cpio.file("/etc/numalab/modules.load", load_list);
  for (const auto& e : r.extras) write_extra(cpio, made, e);
  cpio.finish();
}

}  // namespace

const std::vector<std::string>& base_guest_modules() {
  static const std::vector<std::string> names = {"virtio_pci", "virtio_console", "pvpanic_mmio"};
  return names;
}

util::Result<BuiltImage> build_initramfs(const InitramfsRecipe& recipe,
                                         const std::filesystem::path& cache_dir) {
  Inputs in;
  auto agent = util::read_file(recipe.agent);
  if (!agent) return fail(ErrorKind::cannot_run, "the guest agent is missing: " + agent.error().message);
  if (auto why = incomplete_elf(*agent))
    return fail(ErrorKind::cannot_run, "the guest agent " + recipe.agent.string() +
                                           " cannot be the guest's /init: " + *why +
                                           " (is it being rebuilt?)");
  auto busybox = util::read_file(recipe.busybox);
  if (!busybox) return fail(ErrorKind::cannot_run, busybox.error().message + " (install busybox-static)");
  in.agent = std::move(*agent);
  in.busybox = std::move(*busybox);
  auto list = util::capture_output({recipe.busybox.string(), "--list-full"},
                                   util::Deadline::after(std::chrono::seconds(10)));
  if (!list) return std::unexpected(list.error());
  std::istringstream applets(*list);
  for (std::string a; std::getline(applets, a);)
    if (!a.empty()) in.applets.push_back(a);

  if (recipe.modules) {
    auto order = module_load_order(recipe.modules->modules_dir, recipe.modules->names);
    if (!order) return std::unexpected(order.error());
    for (const auto& rel : *order) {
      auto data = util::read_file(recipe.modules->modules_dir / rel);
      if (!data) return std::unexpected(data.error());
      in.modules.emplace_back(rel, std::move(*data));
    }
  }

  BuiltImage built;
  built.key = image_key(in, recipe);
  const auto dir = cache_dir / "images";
  built.path = dir / (built.key + ".cpio");
  if (std::filesystem::exists(built.path)) {
    built.cached = true;
    return built;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto tmp = dir / (built.key + ".cpio.tmp." + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    write_image(out, in, recipe);
    if (!out.flush()) return fail(ErrorKind::cannot_run, "cannot write the guest image " + tmp.string());
  }
  std::filesystem::rename(tmp, built.path, ec);  // atomic: readers never see half an image
  if (ec) return fail(ErrorKind::cannot_run, "cannot store the guest image: " + ec.message());
  return built;
}

}  // namespace numalab::image
