#include "cli/exit_status.hpp"

namespace numalab::cli {

int exit_status_for(result::Verdict v) {
  switch (v) {
    case result::Verdict::pass:
      return k_exit_pass;
    case result::Verdict::fail:
      return k_exit_fail;
    case result::Verdict::error:
      return k_exit_cannot_run;
    case result::Verdict::hang:
    case result::Verdict::crash:
      return k_exit_hang_or_crash;
  }
  return k_exit_cannot_run;
}

int exit_status_for(const util::Error& e) {
  switch (e.kind) {
    case util::ErrorKind::bad_input:
      return k_exit_bad_input;
    case util::ErrorKind::cannot_run:
    case util::ErrorKind::internal:
      return k_exit_cannot_run;
    case util::ErrorKind::interrupted:
      return 128 + 2;
  }
  return k_exit_cannot_run;
}

}  // namespace numalab::cli
