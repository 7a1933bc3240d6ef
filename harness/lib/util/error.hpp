#pragma once
// Expected failures are values: anything that can fail at a system call, a socket, QMP, SQLite or
// the guest returns Result<T>. The kind decides the exit status in main; the message is for a user.

#include <expected>
#include <string>
#include <utility>

namespace numalab::util {

enum class ErrorKind {
  bad_input,    // lab file, arguments, a patch that does not apply      -> exit 2
  cannot_run,   // QEMU missing, a build failed, a VM did not start      -> exit 3
  interrupted,  // SIGINT or SIGTERM reached numalab                     -> exit 128+signal
  internal,     // a bug in numalab
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return std::unexpected(Error{kind, std::move(message)});
}

// errno as text, for messages: "open results/numalab.db: Permission denied".
std::string errno_text(int err);

}  // namespace numalab::util
