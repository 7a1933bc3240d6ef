#include "workload/nfs_server/nfs_server_spec.hpp"

#include "workload/swap_nfs/swap_nfs_plan.hpp"  // k_default_export

namespace numalab::workload {

const WorkloadSpec& nfs_server_spec() {
  static const WorkloadSpec spec = {
      "nfs-server",
      "the kernel's NFS server (knfsd, Debian's nfs-utils) exporting a tmpfs over NFSv3 and NFSv4.2; checked "
      "over 127.0.0.1 before it says ready, then serves until the host releases it or serve_for",
      {{"export",
        ParamType::string,
        {},
        "the exported path, a tmpfs (default /export)",
        false,
        std::nullopt,
        std::nullopt,
        k_default_export},
       {"size",
        ParamType::size,
        {},
        "the tmpfs's size limit (default 1G; its pages use the server's RAM)",
        false,
        std::nullopt,
        std::nullopt,
        "1G"},
       {"threads", ParamType::integer, {}, "nfsd threads, 1 to 256 (default 8)", false, 1, 256, 8},
       {"serve_for",
        ParamType::duration,
        {},
        "the longest it serves without a release from the host (default 30m)",
        false,
        std::nullopt,
        std::nullopt,
        "30m"}}};
  return spec;
}

}  // namespace numalab::workload
