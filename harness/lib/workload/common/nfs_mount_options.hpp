#pragma once
// The text options the kernel's NFS client takes from mount(2) (what mount.nfs would have built):
// "vers=3,proto=tcp,addr=10.0.0.1,mountaddr=10.0.0.1,mountproto=tcp,nolock" for NFSv3,
// "vers=4.2,proto=tcp,addr=10.0.0.1" for NFSv4.x. The kernel needs the server's address itself
// (it does not resolve names); for NFSv3 it asks the server's rpcbind for mountd's port and does
// the MOUNT call itself.

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace numalab::workload {

struct NfsMountSpec {
  std::string server_address;              // IPv4, dotted
  std::string export_path;                 // "/export"
  std::string version = "3";               // "3", "4", "4.0", "4.1" or "4.2"
  std::vector<std::string> extra_options;  // appended as given: "hard", "timeo=600", ...
};

// The mount(2) source ("10.0.0.1:/export"), file system type ("nfs" or "nfs4") and data string.
struct NfsMountArgs {
  std::string source;
  std::string fs_type;
  std::string options;

  bool operator==(const NfsMountArgs&) const = default;
};

// An error for a version the kernel client does not have, an address that is not IPv4, a relative
// export path, or an option containing ','.
std::expected<NfsMountArgs, std::string> nfs_mount_args(const NfsMountSpec& spec);

}  // namespace numalab::workload
