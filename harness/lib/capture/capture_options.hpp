#pragma once
// What the staged capture of a hung or crashed guest does and how long each step may take. Plain
// data: the runner fills it from the command line and the machine's kernel.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace numalab::capture {

using std::chrono::milliseconds;

// How long the console is read after a step that makes the guest print: at least `min`, then until
// it has been quiet for `quiet`, at most `max`.
struct ConsoleSettle {
  milliseconds min{1000};
  milliseconds quiet{500};
  milliseconds max{5000};
};

struct CaptureOptions {
  bool sysrq = true;        // alt-sysrq-w, -l, -t through QMP send-key
  bool nmi = true;          // QMP inject-nmi
  bool registers = true;    // "info registers -a", twice
  bool memory_dump = true;  // dump-guest-memory; --no-dump turns it off
  // paging=true: the ELF segments carry the guest's virtual addresses too. Debian's drgn 0.0.22
  // cannot translate addresses in a physical-only dump of a kernel whose phys_base is 0 (KASLR
  // off, as in lab kernels; fixed in drgn 0.0.30). Falls back to paging=false when QEMU refuses.
  bool dump_paging = true;
  bool analysis = true;  // harness/analysis/hang_report.py on the dump, when vmlinux is known

  ConsoleSettle after_sysrq{};
  ConsoleSettle after_sysrq_t{milliseconds(1000), milliseconds(700), milliseconds(10000)};
  ConsoleSettle after_nmi{milliseconds(500), milliseconds(500), milliseconds(3000)};
  milliseconds registers_gap{3000};  // between registers-1.txt and registers-2.txt
  milliseconds qmp_step{5000};       // send-key, inject-nmi, human-monitor-command, query-*
  milliseconds dump_limit{180000};   // dump-guest-memory until query-dump says completed
  milliseconds dump_poll{200};
  milliseconds analysis_limit{240000};  // the drgn report

  // The kernel's vmlinux (with debug information), linked beside the dump; none for Debian's.
  std::optional<std::filesystem::path> vmlinux;
  std::filesystem::path python = "/usr/bin/python3";
  std::filesystem::path analysis_script;  // empty: hang_report_script()
};

// harness/analysis/hang_report.py of this numalab ($NUMALAB_HANG_REPORT_SCRIPT overrides it).
std::filesystem::path hang_report_script();

}  // namespace numalab::capture
