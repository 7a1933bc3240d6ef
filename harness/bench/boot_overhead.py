#!/usr/bin/python3
"""Boot-to-agent-hello: numalab end to end against a bare QEMU started by hand.

The bare QEMU gets exactly the argv numalab used (same kernel, initramfs, topology, devices), with
its three sockets served by this script, and is timed from its start to the agent's hello line.
numalab is timed from its own start (lab parsing, image cache, KVM probe answer, database, QEMU
start) to the moment it reports the hello. Runs alternate (numalab, bare, numalab, bare, ...) so
drift of the host hits both; the median of each is compared. Standard library only.
"""
import argparse
import json
import os
import re
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def time_numalab(numalab, lab, results):
    """Seconds from starting numalab to its 'agent hello' line, and the run's summary."""
    summary = os.path.join(results, "summary.json")
    t0 = time.monotonic()
    proc = subprocess.Popen([numalab, "run", lab, "--results", results, "--json", summary],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    hello = None
    for line in proc.stderr:
        if hello is None and "agent hello after" in line:
            hello = time.monotonic() - t0
    proc.wait()
    if hello is None or proc.returncode != 0:
        sys.exit(f"numalab run failed (exit {proc.returncode})")
    with open(summary) as f:
        return hello, json.load(f)


def time_bare(argv):
    """Seconds from starting QEMU with numalab's argv to the agent's hello line."""
    with tempfile.TemporaryDirectory(prefix="numalab-bench-") as d:
        paths = {name: os.path.join(d, name + ".sock") for name in ("qmp", "console", "agent")}
        listeners = {}
        for name, path in paths.items():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(path)
            s.listen(1)
            listeners[name] = s
        def rewire(arg):
            m = re.match(r"socket,id=(qmp|console|agent),path=[^,]*(,.*)$", arg)
            return f"socket,id={m[1]},path={paths[m[1]]}{m[2]}" if m else arg
        args = [rewire(a) for a in argv]
        t0 = time.monotonic()
        qemu = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            conns = {name: s.accept()[0] for name, s in listeners.items()}
            qmp = conns["qmp"].makefile("rwb")
            qmp.readline()
            qmp.write(b'{"execute":"qmp_capabilities"}\n')
            qmp.flush()
            qmp.readline()
            # Drain the console while waiting: a full console socket stalls the guest.
            sel = selectors.DefaultSelector()
            sel.register(conns["console"], selectors.EVENT_READ)
            sel.register(conns["agent"], selectors.EVENT_READ)
            pending = b""
            deadline = t0 + 300
            while time.monotonic() < deadline:
                for key, _ in sel.select(timeout=1):
                    data = key.fileobj.recv(65536)
                    if not data:
                        sys.exit("bare QEMU: a socket closed before the agent's hello")
                    if key.fileobj is conns["agent"]:
                        pending += data
                        if b'"hello"' in pending:
                            return time.monotonic() - t0
            sys.exit("bare QEMU: no hello in 300 s")
        finally:
            qemu.kill()
            qemu.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--numalab", default=os.path.join(ROOT, "build/harness/numalab"))
    ap.add_argument("--lab", default=os.path.join(ROOT, "lab/default.toml"))
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="numalab-bench-results-") as results:
        _, summary = time_numalab(a.numalab, a.lab, results)  # warms the image cache and KVM probe
        with open(os.path.join(summary["run_dir"], summary["machines"][0]["name"], "qemu-argv.json")) as f:
            argv = json.load(f)
        accel = summary["machines"][0]["accel"]
        ours, bare = [], []
        for i in range(a.rounds):
            ours.append(time_numalab(a.numalab, a.lab, results)[0])
            bare.append(time_bare(argv))
            print(f"round {i + 1}: numalab {ours[-1]:.2f} s, bare QEMU {bare[-1]:.2f} s", flush=True)
    m_ours, m_bare = statistics.median(ours), statistics.median(bare)
    print(f"boot to agent hello ({accel}, {os.path.basename(a.lab)}, median of {a.rounds}):")
    print(f"  numalab  {m_ours:.2f} s  (from numalab's start: parse, image cache, probe cache, store, QEMU)")
    print(f"  bare     {m_bare:.2f} s  (QEMU started by hand with the same argv)")
    print(f"  ratio    {m_ours / m_bare:.3f}  overhead {100 * (m_ours / m_bare - 1):+.1f} %  (target <= +5 %)")


if __name__ == "__main__":
    main()
