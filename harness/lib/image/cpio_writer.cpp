#include "image/cpio_writer.hpp"

#include <sys/stat.h>

#include <cstdio>

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
  char header[111];
  std::snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                next_ino_++, mode, 0U, 0U, (mode & S_IFMT) == S_IFDIR ? 2U : 1U, 0U,
                static_cast<unsigned>(data.size()), 0U, 0U, rmajor, rminor,
                static_cast<unsigned>(path.size() + 1), 0U);
  out_.write(header, 110);
  out_.write(path.data(), static_cast<std::streamsize>(path.size()));
  out_.put('\0');
  written_ += 110 + path.size() + 1;
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
