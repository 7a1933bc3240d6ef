#pragma once
// What a dynamically linked program needs to start: its ELF interpreter (PT_INTERP) and the
// shared libraries it names (DT_NEEDED), and the closure of those over a list of folders, for
// programs a guest image carries with their libraries. ELF64 little-endian (x86-64) only; the
// reader is total: any bytes give a value or an error.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace numalab::image {

struct ElfDependencies {
  std::string interpreter;          // "/lib64/ld-linux-x86-64.so.2"; empty for a static program
  std::vector<std::string> needed;  // sonames, in the file's order

  bool operator==(const ElfDependencies&) const = default;
};

util::Result<ElfDependencies> read_elf_dependencies(std::string_view bytes);

// Why `bytes` cannot be exec'd as the guest's /init: not a 64-bit ELF file, or cut short before the
// end of a loadable segment or of the section headers (an agent still being linked); nullopt when
// whole.
std::optional<std::string> incomplete_elf(std::string_view bytes);

struct SharedLibrary {
  std::string soname;               // "libtirpc.so.3"
  std::filesystem::path host_path;  // the first search folder that has it
};

struct LibraryClosure {
  std::vector<std::string> interpreters;  // every PT_INTERP seen, each once
  std::vector<SharedLibrary> libraries;   // every library needed, directly or not, each once
};

// programs: host paths. Each soname is looked up in search_dirs in order. A soname no folder has
// is an error naming the program (or library) that needs it.
util::Result<LibraryClosure> library_closure(const std::vector<std::filesystem::path>& programs,
                                             const std::vector<std::filesystem::path>& search_dirs);

}  // namespace numalab::image
