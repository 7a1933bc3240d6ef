#include "image/elf_dependencies.hpp"

#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <set>

#include "util/file_contents.hpp"

namespace numalab::image {

namespace {

using util::ErrorKind;
using util::fail;

constexpr std::uint32_t k_pt_load = 1, k_pt_dynamic = 2, k_pt_interp = 3;
constexpr std::int64_t k_dt_null = 0, k_dt_needed = 1, k_dt_strtab = 5, k_dt_strsz = 10;
constexpr std::size_t k_max_needed = 256;
constexpr std::size_t k_max_name = 4096;

template <class T>
std::optional<T> at(std::string_view bytes, std::uint64_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return std::nullopt;
  T v;
  std::memcpy(&v, bytes.data() + offset, sizeof(T));
  return v;
}

struct Segment {
  std::uint32_t type = 0;
  std::uint64_t offset = 0, vaddr = 0, filesz = 0;
};

std::optional<Segment> segment(std::string_view bytes, std::uint64_t where) {
  auto type = at<std::uint32_t>(bytes, where);
  auto offset = at<std::uint64_t>(bytes, where + 8);
  auto vaddr = at<std::uint64_t>(bytes, where + 16);
  auto filesz = at<std::uint64_t>(bytes, where + 32);
  if (!type || !offset || !vaddr || !filesz) return std::nullopt;
  return Segment{*type, *offset, *vaddr, *filesz};
}

// A NUL-terminated string at offset, bounded by the file and by limit (exclusive end).
std::optional<std::string> c_string(std::string_view bytes, std::uint64_t offset, std::uint64_t limit) {
  limit = std::min<std::uint64_t>(limit, bytes.size());
  if (offset >= limit) return std::nullopt;
  auto rest = bytes.substr(offset, std::min<std::uint64_t>(limit - offset, k_max_name));
  auto nul = rest.find('\0');
  if (nul == std::string_view::npos || nul == 0) return std::nullopt;
  return std::string(rest.substr(0, nul));
}

// The file offset of a virtual address, through the PT_LOAD segment that maps it.
std::optional<std::uint64_t> file_offset(const std::vector<Segment>& loads, std::uint64_t vaddr) {
  for (const auto& s : loads)
    if (vaddr >= s.vaddr && vaddr - s.vaddr < s.filesz) return vaddr - s.vaddr + s.offset;
  return std::nullopt;
}

}  // namespace

util::Result<ElfDependencies> read_elf_dependencies(std::string_view bytes) {
  auto bad = [](const std::string& why) {
    return fail(ErrorKind::bad_input, "not a usable ELF file: " + why);
  };
  if (bytes.size() < 64 || bytes.substr(0, 4) !=
                               "\x7f"
                               "ELF")
    return bad("no ELF header");
  if (bytes[4] != 2 || bytes[5] != 1) return bad("not 64-bit little-endian");
  const auto phoff = at<std::uint64_t>(bytes, 0x20);
  const auto phentsize = at<std::uint16_t>(bytes, 0x36);
  const auto phnum = at<std::uint16_t>(bytes, 0x38);
  if (!phoff || !phentsize || !phnum || *phentsize < 56) return bad("bad program header table");

  ElfDependencies out;
  std::vector<Segment> loads;
  std::optional<Segment> dynamic;
  for (std::uint16_t i = 0; i < *phnum; ++i) {
    auto s = segment(bytes, *phoff + std::uint64_t{i} * *phentsize);
    if (!s) return bad("program header " + std::to_string(i) + " is outside the file");
    if (s->type == k_pt_load) loads.push_back(*s);
    if (s->type == k_pt_dynamic) dynamic = *s;
    if (s->type == k_pt_interp) {
      auto name = c_string(bytes, s->offset, s->offset + s->filesz);
      if (!name) return bad("bad PT_INTERP");
      out.interpreter = *name;
    }
  }
  if (!dynamic) return out;  // static

  std::vector<std::uint64_t> needed;
  std::optional<std::uint64_t> strtab, strsz;
  for (std::uint64_t off = dynamic->offset; off + 16 <= dynamic->offset + dynamic->filesz; off += 16) {
    auto tag = at<std::int64_t>(bytes, off);
    auto val = at<std::uint64_t>(bytes, off + 8);
    if (!tag || !val) return bad("PT_DYNAMIC is outside the file");
    if (*tag == k_dt_null) break;
    if (*tag == k_dt_needed) {
      if (needed.size() == k_max_needed) return bad("too many DT_NEEDED entries");
      needed.push_back(*val);
    }
    if (*tag == k_dt_strtab) strtab = *val;
    if (*tag == k_dt_strsz) strsz = *val;
  }
  if (needed.empty()) return out;
  if (!strtab || !strsz) return bad("DT_NEEDED without a string table");
  auto table = file_offset(loads, *strtab);
  if (!table) return bad("the string table is not in a loaded segment");
  for (auto n : needed) {
    if (n >= *strsz) return bad("a DT_NEEDED name is outside the string table");
    auto name = c_string(bytes, *table + n, *table + *strsz);
    if (!name) return bad("a DT_NEEDED name is not a string");
    out.needed.push_back(*name);
  }
  return out;
}

std::optional<std::string> incomplete_elf(std::string_view bytes) {
  if (bytes.size() < 64 ||
      bytes.substr(0, 4) !=
          "\x7f"
          "ELF" ||
      bytes[4] != 2 || bytes[5] != 1)
    return "not a 64-bit little-endian ELF file";
  const std::string past = " past its " + std::to_string(bytes.size()) + " bytes";
  const auto ends_past = [&](std::uint64_t offset, std::uint64_t length) {
    return offset > bytes.size() || length > bytes.size() - offset;
  };
  const auto phoff = at<std::uint64_t>(bytes, 0x20), shoff = at<std::uint64_t>(bytes, 0x28);
  const auto phentsize = at<std::uint16_t>(bytes, 0x36), phnum = at<std::uint16_t>(bytes, 0x38);
  const auto shentsize = at<std::uint16_t>(bytes, 0x3a), shnum = at<std::uint16_t>(bytes, 0x3c);
  if (*phentsize < 56 || ends_past(*phoff, std::uint64_t{*phentsize} * *phnum))
    return "its program headers end" + past;
  for (std::uint16_t i = 0; i < *phnum; ++i) {
    auto s = segment(bytes, *phoff + std::uint64_t{i} * *phentsize);
    if (s && s->type == k_pt_load && ends_past(s->offset, s->filesz))
      return "loadable segment " + std::to_string(i) + " ends" + past;
  }
  if (*shoff != 0 && ends_past(*shoff, std::uint64_t{*shentsize} * *shnum))
    return "its section headers end" + past;
  return std::nullopt;
}

util::Result<LibraryClosure> library_closure(const std::vector<std::filesystem::path>& programs,
                                             const std::vector<std::filesystem::path>& search_dirs) {
  LibraryClosure out;
  std::set<std::string> seen;
  std::deque<std::filesystem::path> todo(programs.begin(), programs.end());
  while (!todo.empty()) {
    const auto path = todo.front();
    todo.pop_front();
    auto bytes = util::read_file(path);
    if (!bytes) return std::unexpected(bytes.error());
    auto deps = read_elf_dependencies(*bytes);
    if (!deps) return fail(deps.error().kind, path.string() + ": " + deps.error().message);
    if (!deps->interpreter.empty() && seen.insert("interp " + deps->interpreter).second)
      out.interpreters.push_back(deps->interpreter);
    for (const auto& soname : deps->needed) {
      if (!seen.insert(soname).second) continue;
      std::optional<std::filesystem::path> found;
      for (const auto& dir : search_dirs) {
        std::error_code ec;
        if (std::filesystem::exists(dir / soname, ec)) {
          found = dir / soname;
          break;
        }
      }
      if (!found)
        return fail(ErrorKind::cannot_run,
                    path.string() + " needs " + soname + ", which no library folder has");
      out.libraries.push_back({soname, *found});
      todo.push_back(*found);
    }
  }
  return out;
}

}  // namespace numalab::image
