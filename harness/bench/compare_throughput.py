#!/usr/bin/python3
"""Runs per hour of a compare: one run at a time (--jobs 1) against each repetition's runs side by
side (--jobs K, K the number of kernels; --oversubscribe when the host's cores do not hold a slot,
as on a 2-core machine with 4-vCPU guests). Both compares are the same lab, kernels and repetitions,
run one after the other in fresh results folders. Prints wall time and runs per hour of each, their
ratio (target >= 2x), and for the side-by-side compare each metric's noise: the CV of the ratio of
two boots unblocked and within a slot (blocked), from the compare document.

Standard library only; Debian's python3.
"""

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
        # The kernels are built (or found in the cache) by a first numalab build, outside the timing.
        subprocess.run([args.numalab, "build", args.lab] + sum((["--kernel", k] for k in kernels), []),
                       check=True, stdout=subprocess.DEVNULL)
        alone_s, _, _ = compare(args.numalab, args.lab, kernels, args.repeat, ["--jobs", "1"],
                             os.path.join(tmp, "alone"))
        together_s, doc, table = compare(args.numalab, args.lab, kernels, args.repeat, side_by_side,
                                  os.path.join(tmp, "together"))
    side = doc.get("options", {}).get("side_by_side")
    print(f"compare of {os.path.basename(args.lab)}: {' vs '.join(kernels)}, {args.repeat} boots each ({runs} runs)")
    print(f"  --jobs 1                 {alone_s:7.1f} s  {3600 * runs / alone_s:6.0f} runs/hour")
    print(f"  {' '.join(side_by_side):<24} {together_s:7.1f} s  {3600 * runs / together_s:6.0f} runs/hour"
          f"  (side by side: {'yes' if side else 'no'})")
    print(f"  ratio {alone_s / together_s:.2f}x runs per hour (target >= 2x)")
    print("noise of the side-by-side compare, CV of the ratio of two boots: unblocked / within a slot")
    for other, workload, name, cv, blocked in noise_rows(doc):
        print(f"  {other:<24} {workload + ' ' + name:<40} {pct(cv)}  {pct(blocked)}")
    print("the side-by-side compare's table:")
    print(table)


if __name__ == "__main__":
    main()
