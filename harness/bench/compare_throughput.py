#!/usr/bin/python3
"""Runs per hour of a compare: one run at a time (--jobs 1) against each repetition's runs side by
side (--jobs K, K the number of kernels; --oversubscribe when the host's cores do not hold a slot,
as on a 2-core machine with 4-vCPU guests). Both compares are the same lab, kernels and repetitions,
run one after the other in fresh results folders. Then the first kernel's runs of the lab one at a
time, booted fresh and restored from the startup cache (--boot restore, its entry made before the
timing, as the kernels are built before it): what restores buy run and repro (a compare boots
fresh: harness/lib/run/README.md). Prints wall time and runs per hour of each, the compares' ratio
(target >= 2x), the machines' mean start-to-hello (fresh: QEMU start to the agent's hello; restore:
QEMU start to the restored guest running), and for the side-by-side compare each metric's noise:
the CV of the ratio of two boots unblocked and within a slot (blocked), from the compare document."""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def compare(numalab, lab, kernels, repeat, jobs_args, results):
    doc = os.path.join(results, "compare.json")
    argv = [numalab, "compare", lab, "--results", results, "--repeat", str(repeat), "--json", doc]
    for k in kernels:
        argv += ["--kernel", k]
    argv += jobs_args
    start = time.monotonic()
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"compare_throughput: {' '.join(argv)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    with open(doc, encoding="utf-8") as f:
        return seconds, json.load(f), done.stdout


def noise_rows(doc):
    rows = []
    for comparison in doc.get("comparisons", []):
        for m in comparison.get("metrics", []):
            noise = m.get("noise") or {}
            if noise.get("ratio_cv") is None:
                continue
            rows.append((comparison["other"], m["workload"], m["name"], noise.get("ratio_cv"),
                         noise.get("blocked_ratio_cv")))
    return rows


def mean(xs):
    return sum(xs) / len(xs) if xs else 0.0


def summarise(seconds):
    if not seconds:
        return "n/a"
    return f"{mean(seconds):5.2f} s ({min(seconds):.2f}-{max(seconds):.2f})"


def start_to_hello(doc):
    """Mean and range of every machine's boot_seconds in a compare's runs."""
    return summarise([m.get("boot_seconds", 0.0) for run in doc.get("runs", [])
                      for m in (run.get("summary") or {}).get("machines", [])])


def run_lab(numalab, lab, kernel, boot, count, results):
    """`count` runs of the lab one after the other: wall seconds and every machine's boot_seconds."""
    boots = []
    start = time.monotonic()
    for i in range(count):
        summary = os.path.join(results, f"summary-{i}.json")
        argv = [numalab, "run", lab, "--kernel", kernel, "--boot", boot, "--results", results, "--json", summary]
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"compare_throughput: {' '.join(argv)} exited {done.returncode}:\n{done.stderr[-3000:]}")
        with open(summary, encoding="utf-8") as f:
            boots += [m.get("boot_seconds", 0.0) for m in json.load(f).get("machines", [])]
    return time.monotonic() - start, boots


def pct(x):
    return "   n/a" if x is None else f"{100 * x:5.1f}%"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--numalab", default=os.path.join(ROOT, "build", "harness", "numalab"))
    ap.add_argument("--lab", default=os.path.join(ROOT, "lab", "default.toml"))
    ap.add_argument("--kernel", action="append", help="default: baseline, cpuset-no-mpol-rebind (make demo's)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--oversubscribe", action="store_true",
                    help="run the side-by-side compare with --oversubscribe (a host whose cores hold no slot)")
    args = ap.parse_args()
    kernels = args.kernel or ["baseline", "cpuset-no-mpol-rebind"]
    runs = len(kernels) * args.repeat
    side_by_side = ["--jobs", str(len(kernels))] + (["--oversubscribe"] if args.oversubscribe else [])
    with tempfile.TemporaryDirectory(prefix="numalab-bench-compare-", dir="/var/tmp") as tmp:
        # The kernels are built (or found in the cache) by a first numalab build, and the first
        # kernel's startup cache entry made by one restored run, outside the timing.
        subprocess.run([args.numalab, "build", args.lab] + sum((["--kernel", k] for k in kernels), []),
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([args.numalab, "run", args.lab, "--kernel", kernels[0], "--boot", "restore", "--results",
                        os.path.join(tmp, "warm")], check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        alone_s, alone_doc, _ = compare(args.numalab, args.lab, kernels, args.repeat, ["--jobs", "1"],
                                        os.path.join(tmp, "alone"))
        together_s, doc, table = compare(args.numalab, args.lab, kernels, args.repeat, side_by_side,
                                         os.path.join(tmp, "together"))
        lab_runs = {boot: run_lab(args.numalab, args.lab, kernels[0], boot, runs, os.path.join(tmp, boot))
                    for boot in ("fresh", "restore")}
    side = doc.get("options", {}).get("side_by_side")
    print(f"compare of {os.path.basename(args.lab)}: {' vs '.join(kernels)}, {args.repeat} boots each ({runs} runs)")
    print(f"  --jobs 1                 {alone_s:7.1f} s  {3600 * runs / alone_s:6.0f} runs/hour"
          f"  start-to-hello {start_to_hello(alone_doc)}")
    print(f"  {' '.join(side_by_side):<24} {together_s:7.1f} s  {3600 * runs / together_s:6.0f} runs/hour"
          f"  (side by side: {'yes' if side else 'no'})")
    print(f"  ratio {alone_s / together_s:.2f}x runs per hour (target >= 2x)")
    print(f"{runs} runs of {os.path.basename(args.lab)} on {kernels[0]}, one at a time:")
    for boot, (seconds, boots) in lab_runs.items():
        print(f"  --boot {boot:<8} {seconds:7.1f} s  {3600 * runs / seconds:6.0f} runs/hour  start-to-hello "
              f"{summarise(boots)}")
    fresh_s, restore_s = lab_runs["fresh"][0], lab_runs["restore"][0]
    print(f"  ratio {fresh_s / restore_s:.2f}x runs per hour; start-to-hello "
          f"{mean(lab_runs['fresh'][1]) / max(mean(lab_runs['restore'][1]), 1e-9):.1f}x faster restored"
          " (target <= 0.5 s and >= 8x)")
    print("noise of the side-by-side compare, CV of the ratio of two boots: unblocked / within a slot")
    for other, workload, name, cv, blocked in noise_rows(doc):
        print(f"  {other:<24} {workload + ' ' + name:<40} {pct(cv)}  {pct(blocked)}")
    print("the side-by-side compare's table:")
    print(table)

if __name__ == "__main__":
    main()
