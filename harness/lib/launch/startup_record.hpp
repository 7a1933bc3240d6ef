#pragma once
// entry.json of a startup cache entry: what the booted guest was made from, in readable form (the
// startup key's inputs), and what the host needs after a restore, when the guest says hello no more:
// the hello it sent when it was booted.

#include <filesystem>
#include <string>
#include <vector>

#include "agent/protocol.hpp"
#include "util/error.hpp"

namespace numalab::launch {

struct StartupRecord {
  int format = 1;
  std::string key;                // startup_key()
  std::string kernel_sha256;      // the bzImage's content
  std::string image_key;          // the guest initramfs' content key
  std::string qemu_version;       // "7.2.19"
  std::vector<std::string> argv;  // keyed_argv(): the command line the key covers
  agent::Hello hello;             // what the agent said at the booted state
  double boot_seconds = 0;        // QEMU start to hello, the cold boot a restore saves
  std::string created_at;         // ISO 8601 UTC

  bool operator==(const StartupRecord&) const = default;
};

inline constexpr const char* k_startup_record_file = "entry.json";

// Reads DIR/entry.json. An error when it is missing, not a record, or its hello does not decode.
util::Result<StartupRecord> read_startup_record(const std::filesystem::path& dir);
// Writes DIR/entry.json (atomically, synced: an entry is expensive to make again).
util::Result<void> write_startup_record(const std::filesystem::path& dir, const StartupRecord& r);

}  // namespace numalab::launch
