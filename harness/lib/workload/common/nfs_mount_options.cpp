#include "workload/common/nfs_mount_options.hpp"

#include <array>

#include "workload/common/net_address.hpp"

namespace numalab::workload {

std::expected<NfsMountArgs, std::string> nfs_mount_args(const NfsMountSpec& spec) {
  constexpr std::array<std::string_view, 5> versions = {"3", "4", "4.0", "4.1", "4.2"};
  bool known = false;
  for (auto v : versions) known = known || v == spec.version;
  if (!known) return std::unexpected("NFS version '" + spec.version + "': expected 3, 4, 4.0, 4.1 or 4.2");
  if (!parse_ipv4(spec.server_address))
    return std::unexpected("NFS server address '" + spec.server_address + "' is not an IPv4 address");
  if (spec.export_path.empty() || spec.export_path.front() != '/')
    return std::unexpected("NFS export '" + spec.export_path + "' is not an absolute path");
  const bool v3 = spec.version == "3";
  NfsMountArgs out;
  out.source = spec.server_address + ":" + spec.export_path;
  out.fs_type = v3 ? "nfs" : "nfs4";
  out.options = "vers=" + spec.version + ",proto=tcp,addr=" + spec.server_address;
  if (v3) out.options += ",mountaddr=" + spec.server_address + ",mountvers=3,mountproto=tcp,nolock";
  for (const auto& o : spec.extra_options) {
    if (o.empty() || o.find(',') != std::string::npos)
      return std::unexpected("NFS mount option '" + o + "' is empty or holds a ','");
    out.options += "," + o;
  }
  return out;
}

}  // namespace numalab::workload
