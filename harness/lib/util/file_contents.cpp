#include "util/file_contents.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "util/unique_fd.hpp"

namespace numalab::util {

namespace {

std::unexpected<Error> cannot(const char* what, const std::filesystem::path& file, int err) {
  return fail(ErrorKind::cannot_run,
              std::string("cannot ") + what + " " + file.string() + ": " + errno_text(err));
}

// A name beside `file` that no other writer (another thread, another process) uses at once.
std::filesystem::path temporary_beside(const std::filesystem::path& file) {
  static std::atomic<unsigned> counter = 0;
  return file.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// The folder's own entry (the rename) reaches the disk too.
void sync_folder(const std::filesystem::path& file) {
  const auto dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd) ::fsync(fd.get());
}

}  // namespace

Result<std::string> read_file(const std::filesystem::path& file, std::size_t max_bytes) {
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return cannot("read", file, errno);
  std::string text;
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && st.st_size > 0)
    text.reserve(std::min(max_bytes, static_cast<std::size_t>(st.st_size)));
  char buf[1 << 16];
  while (text.size() < max_bytes) {
    const ssize_t n = ::read(fd.get(), buf, std::min(sizeof buf, max_bytes - text.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return cannot("read", file, errno);
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

Result<void> write_file(const std::filesystem::path& file, std::string_view bytes,
                        const WriteOptions& options) {
  const auto tmp = temporary_beside(file);
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (!fd) return cannot("write", file, errno);
  auto abandon = [&](int err) {
    fd.reset();
    ::unlink(tmp.c_str());
    return cannot("write", file, err);
  };
  if (options.mode && ::fchmod(fd.get(), static_cast<mode_t>(*options.mode)) != 0) return abandon(errno);
  if (!write_all(fd.get(), bytes)) return abandon(errno);
  if (options.sync && ::fsync(fd.get()) != 0) return abandon(errno);
  // close(2) is where some file systems (NFS) report a write that did not fit.
  if (::close(fd.release()) != 0) return abandon(errno);
  if (::rename(tmp.c_str(), file.c_str()) != 0) return abandon(errno);
  if (options.sync) sync_folder(file);
  return {};
}

}  // namespace numalab::util
