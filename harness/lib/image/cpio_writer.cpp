#include "image/cpio_writer.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <iterator>

namespace numalab::image {

void CpioWriter::pad4() {
  static constexpr char k_zeros[4] = {};
  const auto pad = (4 - written_ % 4) % 4;
  out_.write(k_zeros, static_cast<std::streamsize>(pad));
  written_ += pad;
}

void CpioWriter::entry(std::string_view path, std::uint32_t mode, std::string_view data, std::uint32_t rmajor,
                       std::uint32_t rminor) {
  // Names are stored without a leading '/', as the kernel's own gen_init_cpio does.
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  // The "newc" header: magic, then thirteen fields of eight hex digits each.
  const std::uint32_t fields[] = {
      next_ino_++,                                  // c_ino
      mode,                                         // c_mode
      0,                                            // c_uid
      0,                                            // c_gid
      (mode & S_IFMT) == S_IFDIR ? 2U : 1U,         // c_nlink
      0,                                            // c_mtime: 0, for identical images
      static_cast<std::uint32_t>(data.size()),      // c_filesize
      0,                                            // c_devmajor
      0,                                            // c_devminor
      rmajor,                                       // c_rdevmajor
      rminor,                                       // c_rdevminor
      static_cast<std::uint32_t>(path.size() + 1),  // c_namesize, with the NUL
      0,                                            // c_check
  };
  std::string header = "070701";
  for (const auto f : fields) fmt::format_to(std::back_inserter(header), "{:08X}", f);
  out_.write(header.data(), static_cast<std::streamsize>(header.size()));
  out_.write(path.data(), static_cast<std::streamsize>(path.size()));
  out_.put('\0');
  written_ += header.size() + path.size() + 1;
  pad4();
  out_.write(data.data(), static_cast<std::streamsize>(data.size()));
  written_ += data.size();
  pad4();
}

void CpioWriter::directory(std::string_view path, std::uint32_t mode) {
  entry(path, S_IFDIR | mode, {}, 0, 0);
}

void CpioWriter::file(std::string_view path, std::string_view contents, std::uint32_t mode) {
  entry(path, S_IFREG | mode, contents, 0, 0);
}

void CpioWriter::symlink(std::string_view path, std::string_view target) {
  entry(path, S_IFLNK | 0777, target, 0, 0);
}

void CpioWriter::char_device(std::string_view path, std::uint32_t major, std::uint32_t minor,
                             std::uint32_t mode) {
  entry(path, S_IFCHR | mode, {}, major, minor);
}

void CpioWriter::finish() {
  next_ino_ = 0;
  entry("TRAILER!!!", 0, {}, 0, 0);
  // Pad the archive to a 512-byte block, as cpio(1) does.
  static constexpr char k_zeros[512] = {};
  const auto pad = (512 - written_ % 512) % 512;
  out_.write(k_zeros, static_cast<std::streamsize>(pad));
  written_ += pad;
}

}  // namespace numalab::image
