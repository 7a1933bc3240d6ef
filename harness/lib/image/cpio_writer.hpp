#pragma once
// Writes a cpio archive in the "newc" format the kernel unpacks as an initramfs. Deterministic:
// inode numbers are sequential and times are zero, so the same entries give the same bytes.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace numalab::image {

class CpioWriter {
 public:
  explicit CpioWriter(std::ostream& out) : out_(out) {}
  void directory(std::string_view path, std::uint32_t mode = 0755);
  void file(std::string_view path, std::string_view contents, std::uint32_t mode = 0644);
  void symlink(std::string_view path, std::string_view target);
  void char_device(std::string_view path, std::uint32_t major, std::uint32_t minor,
                   std::uint32_t mode = 0600);
  void finish();  // the TRAILER!!! entry; nothing may follow
  std::uint64_t bytes_written() const { return written_; }

 private:
  void entry(std::string_view path, std::uint32_t mode, std::string_view data, std::uint32_t rmajor,
             std::uint32_t rminor);
  void pad4();
  std::ostream& out_;
  std::uint32_t next_ino_ = 1;
  std::uint64_t written_ = 0;
};

}  // namespace numalab::image
