#!/usr/bin/python3
"""Lab-kernel builds: numalab build against raw make with ccache, on the same tree, in one run.

1. cold:    `numalab build` of a one-kernel lab (Debian's linux-source-6.1, the baseline series,
            the numa-lab fragment) with an empty numalab cache and an empty ccache; then raw
            `make olddefconfig bzImage` of the same source tree and .config into a fresh O= folder,
            with its own empty ccache. numalab's figure includes unpacking the source and
            resolving the config; the split is printed.
2. rebuild: the series gains a one-line patch (the NUMA-balancing scan delay in
            kernel/sched/fair.c, 1000 -> 999 ms); `numalab build` again; then raw make in its O=
            folder over the same, now patched, source tree. Target: numalab <= 1.5 x raw make.

Everything lives in a temporary folder (about 4 GB) that is removed at the end. The cold pair
takes about 20 minutes on 2 cores; --skip-cold measures the rebuild only (its first build is then
warm from the user's ccache, and is not reported). Standard library only.
"""
import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KERNEL = "bench"
PATCHED_FILE = "kernel/sched/fair.c"
OLD_LINE = "unsigned int sysctl_numa_balancing_scan_delay = 1000;"
NEW_LINE = "unsigned int sysctl_numa_balancing_scan_delay = 999;"


def write_lab(folder, series):
    lab = os.path.join(folder, "bench.toml")
    with open(lab, "w") as f:
        f.write(f'''name = "bench-kernel-build"

[kernel.{KERNEL}]
base = "debian-6.1"
series = "{series}"
config = ["numa-lab"]

[[machine]]
name = "guest"
kernel = "{KERNEL}"
  [[machine.node]]
  cpus = [0]
  memory = "256M"

[[workload]]
name = "topology-check"
''')
    return lab


def timed(argv, env, log):
    t0 = time.monotonic()
    with open(log, "ab") as out:
        rc = subprocess.run(argv, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
    elapsed = time.monotonic() - t0
    if rc != 0:
        with open(log, errors="replace") as f:
            tail = f.readlines()[-15:]
        sys.exit(f"kernel_build: {' '.join(argv)} failed ({rc}):\n{''.join(tail)}")
    return elapsed


def numalab_build(a, lab, env, log):
    return timed([a.numalab, "build", lab], env, log)


def work_tree(cache):
    return os.path.join(cache, "work", KERNEL, "src"), os.path.join(cache, "work", KERNEL, "build")


def raw_make(src, objdir, config, env, log, jobs):
    """olddefconfig from numalab's resolved .config, then bzImage; the seconds of each."""
    os.makedirs(objdir, exist_ok=True)
    shutil.copyfile(config, os.path.join(objdir, ".config"))
    common = ["make", "-C", src, f"O={objdir}", f"-j{jobs}", "CC=ccache gcc",
              "KBUILD_BUILD_USER=numalab", "KBUILD_BUILD_HOST=numalab"]
    t_config = timed(common + ["olddefconfig"], env, log)
    t_build = timed(common + ["bzImage"], env, log)
    return t_config, t_build


def one_line_series(folder, src):
    """A series folder with one patch changing one line of PATCHED_FILE in src."""
    with open(os.path.join(src, PATCHED_FILE)) as f:
        old = f.readlines()
    if sum(line.strip() == OLD_LINE for line in old) != 1:
        sys.exit(f"kernel_build: {PATCHED_FILE} does not have exactly one '{OLD_LINE}'")
    new = [NEW_LINE + "\n" if line.strip() == OLD_LINE else line for line in old]
    series = os.path.join(folder, "one-line")
    os.makedirs(series, exist_ok=True)
    with open(os.path.join(series, "0001-scan-delay.patch"), "w") as f:
        f.write("Subject: [PATCH] bench: one-line change\n\n---\n")
        f.writelines(difflib.unified_diff(old, new, "a/" + PATCHED_FILE, "b/" + PATCHED_FILE))
    with open(os.path.join(series, "series"), "w") as f:
        f.write("0001-scan-delay.patch\n")
    return series


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--numalab", default=os.path.join(ROOT, "build/harness/numalab"))
    ap.add_argument("--skip-cold", action="store_true", help="measure the one-line rebuild only")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    jobs = os.cpu_count() or 1
    folder = tempfile.mkdtemp(prefix="numalab-bench-kbuild-", dir="/var/tmp")
    log = os.path.join(folder, "bench.log")
    cache = os.path.join(folder, "numalab-cache")
    env = dict(os.environ, NUMALAB_CACHE=cache, CCACHE_DIR=os.path.join(folder, "ccache-numalab"))
    raw_env = dict(os.environ, CCACHE_DIR=os.path.join(folder, "ccache-raw"))
    if a.skip_cold:  # warm: both use the user's ccache
        env.pop("CCACHE_DIR")
        raw_env.pop("CCACHE_DIR")
    print(f"kernel_build: working in {folder} (log {log}); {'about 3' if a.skip_cold else 'about 20'} minutes",
          flush=True)
    try:
        baseline = os.path.join(ROOT, "patches", "baseline")
        lab = write_lab(folder, baseline)
        t_cold = numalab_build(a, lab, env, log)
        src, build = work_tree(cache)
        objdir = os.path.join(folder, "raw-build")
        raw_config, raw_build = raw_make(src, objdir, os.path.join(build, ".config"), raw_env, log, jobs)
        if not a.skip_cold:
            print(f"cold build of the lab kernel ({jobs} jobs, empty caches):")
            print(f"  numalab build  {t_cold:7.1f} s  (unpack, patch, config, compile, store)")
            print(f"  raw make       {raw_config + raw_build:7.1f} s  (olddefconfig {raw_config:.1f} s + bzImage"
                  f" {raw_build:.1f} s, source already unpacked)")
            print(f"  ratio          {t_cold / (raw_config + raw_build):7.2f}", flush=True)

        lab = write_lab(folder, one_line_series(folder, src))
        t_numalab = numalab_build(a, lab, env, log)
        t_raw = timed(["make", "-C", src, f"O={objdir}", f"-j{jobs}", "CC=ccache gcc", "KBUILD_BUILD_USER=numalab",
                       "KBUILD_BUILD_HOST=numalab", "bzImage"], raw_env, log)
        print(f"rebuild after a one-line patch ({PATCHED_FILE}):")
        print(f"  numalab build  {t_numalab:7.1f} s  (series change, patch, config check, make, store)")
        print(f"  raw make       {t_raw:7.1f} s  (make bzImage with ccache over the patched tree)")
        print(f"  ratio          {t_numalab / t_raw:7.2f}  (target <= 1.5)")
    finally:
        if a.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
