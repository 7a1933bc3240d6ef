#include "modules/module_loader.hpp"

#include <fcntl.h>
#include <linux/module.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "init/console.hpp"
#include "util/unique_fd.hpp"

namespace numalab::guest {

namespace {

std::string_view trim(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// "" on success, else why not.
std::string load_one(const std::filesystem::path& file, const std::string& params) {
  util::UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::strerror(errno);
  int flags = module_init_flags(file.filename().string());
  if (::syscall(SYS_finit_module, fd.get(), params.c_str(), flags) == 0 || errno == EEXIST) return {};
  int err = errno;
  std::string why = std::string("finit_module: ") + std::strerror(err);
  if (flags != 0 && (err == EOPNOTSUPP || err == EINVAL))
    why += " (a compressed module needs CONFIG_MODULE_DECOMPRESS; or decompress it in the image)";
  return why;
}

}  // namespace

int module_init_flags(std::string_view file_name) {
  for (std::string_view ext : {".ko.xz", ".ko.zst", ".ko.gz"})
    if (file_name.ends_with(ext)) return MODULE_INIT_COMPRESSED_FILE;
  return 0;
}

std::filesystem::path running_kernel_modules_dir() {
  struct utsname u {};
  ::uname(&u);
  return std::filesystem::path("/lib/modules") / u.release;
}

std::vector<std::string> load_modules(const std::filesystem::path& list,
                                      const std::filesystem::path& modules_dir) {
  std::vector<std::string> notes;
  std::ifstream in(list);
  if (!in) return notes;
  int loaded = 0;
  for (std::string raw; std::getline(in, raw);) {
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto space = line.find_first_of(" \t");
    std::string rel(line.substr(0, space));
    std::string params(space == std::string_view::npos ? "" : trim(line.substr(space)));
    if (auto why = load_one(modules_dir / rel, params); !why.empty())
      notes.push_back("module " + rel + ": " + why);
    else
      ++loaded;
  }
  say("loaded " + std::to_string(loaded) + " kernel modules, " + std::to_string(notes.size()) + " failed");
  return notes;
}

}  // namespace numalab::guest
