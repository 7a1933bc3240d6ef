#include "util/temp_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <vector>

namespace numalab::util {

Result<ScopedTempDir> ScopedTempDir::create(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data()))  // mkdtemp makes it 0700
    return fail(ErrorKind::cannot_run, "mkdtemp " + tmpl + ": " + errno_text(errno));
  return ScopedTempDir(buf.data());
}

ScopedTempDir::~ScopedTempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace numalab::util
