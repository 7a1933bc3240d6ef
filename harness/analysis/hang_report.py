#!/usr/bin/python3
"""numalab's hang report: reads a guest memory dump (QEMU dump-guest-memory, ELF, with the
VMCOREINFO note of the vmcoreinfo device) with the kernel's vmlinux through drgn (python3-drgn),
and writes what a reviewer of a hang wants first: the tasks in uninterruptible sleep with their
stacks, the mutex or rw-semaphore each waits for and its owner, a cycle of waiters as the
deadlock, and the memory (free against the min watermarks, writeback, packets received into the
reserves and dropped) and the TCP connections (state, SOCK_MEMALLOC, segments unacknowledged and
retransmitted) for a deadlock on memory itself, such as swap over NFS. The last line of standard output is a
one-line summary.

    hang_report.py --vmcore RUN/MACHINE/vmcore --vmlinux RUN/MACHINE/vmlinux --out hang-report.txt
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dump_segments  # noqa: E402
import tcp_connections  # noqa: E402
from waits_for import Wait, describe_cycle, describe_wait, find_cycles, summary  # noqa: E402

TASK_UNINTERRUPTIBLE = 0x2
TASK_NOLOAD = 0x400  # with UNINTERRUPTIBLE: TASK_IDLE, idle kernel threads, not blocked
MUTEX_FLAGS = 0x07
RWSEM_READER_OWNED = 0x1
RWSEM_OWNER_FLAGS = 0x3
RWSEM_READER_SHIFT = 8

# The scheduler's own frames on top of every sleeping task's stack; "in" names the first other one.
SCHEDULER_FRAMES = ("context_switch", "__schedule", "schedule", "io_schedule", "__switch_to")

# Functions a task blocked on a lock has on its stack, and the name of the lock in their frame.
MUTEX_FRAMES = ("__mutex_lock", "__mutex_lock_common", "__mutex_lock_slowpath", "mutex_lock",
                "mutex_lock_nested", "mutex_lock_killable", "mutex_lock_interruptible",
                "__mutex_lock_killable_slowpath", "__mutex_lock_interruptible_slowpath",
                "mutex_lock_io", "mutex_lock_io_nested", "__ww_mutex_lock")
RWSEM_FRAMES = ("rwsem_down_write_slowpath", "rwsem_down_read_slowpath", "__down_write_common",
                "__down_read_common", "__down_write", "__down_read", "down_write", "down_read",
                "down_write_killable", "down_read_killable", "down_read_interruptible",
                "down_write_nested", "down_read_nested")


def task_state(task) -> int:
    try:
        return int(task.member_("__state").value_())
    except LookupError:
        return int(task.member_("state").value_())


def comm(task) -> str:
    return task.comm.string_().decode(errors="replace")


def lock_name(prog, address: int) -> str:
    """A global lock by its symbol ("self_lock", "inode_hash_lock+0x8"), else its address."""
    try:
        sym = prog.symbol(address)
        off = address - sym.address
        return f"{sym.name}+{off:#x}" if off else sym.name
    except LookupError:
        return f"{address:#x}"


def frame_variable(frame, name: str):
    try:
        obj = frame[name]
        if obj.absent_:
            return None
        return obj.read_()
    except Exception:  # optimised out, not in this frame, unreadable
        return None


def blocked_lock(prog, trace):
    """(kind, lock object) for the first mutex or rwsem frame of the stack with its lock known."""
    for frame in trace:
        name = frame.name or ""
        if name in MUTEX_FRAMES:
            lock = frame_variable(frame, "lock")
            if lock is not None:
                return "mutex", lock
        elif name in RWSEM_FRAMES:
            sem = frame_variable(frame, "sem")
            if sem is not None:
                return "rwsem", sem
    return None, None


def task_at(prog, address: int):
    from drgn import Object
    return Object(prog, "struct task_struct *", value=address)


def wait_of(prog, task, kind: str, lock) -> Wait:
    pid = int(task.pid)
    name = lock_name(prog, lock.value_())
    if kind == "mutex":
        owner = int(lock.owner.counter.value_()) & ~MUTEX_FLAGS & (2**64 - 1)
        if not owner:
            return Wait(pid, comm(task), kind, name, None, "no owner: being released")
        o = task_at(prog, owner)
        return Wait(pid, comm(task), kind, name, int(o.pid), comm(o))
    owner_word = int(lock.owner.counter.value_()) & (2**64 - 1)
    if owner_word & RWSEM_READER_OWNED:
        readers = int(lock.count.counter.value_()) >> RWSEM_READER_SHIFT
        return Wait(pid, comm(task), kind, name, None, f"held by {readers} reader(s)")
    owner = owner_word & ~RWSEM_OWNER_FLAGS
    if not owner:
        return Wait(pid, comm(task), kind, name, None, "no writer owner recorded")
    o = task_at(prog, owner)
    return Wait(pid, comm(task), kind, name, int(o.pid), comm(o))


def frame_address(frame) -> str:
    """A frame without a name by its program counter; an unwinder can yield one whose program
    counter it does not know ("?"), which must not end the report."""
    try:
        return f"{frame.pc:#x}"
    except LookupError:
        return "?"


def format_stack(trace) -> list[str]:
    lines = []
    for i, frame in enumerate(trace):
        name = frame.name or frame_address(frame)
        where = ""
        try:
            file, line, _ = frame.source()
            where = f" ({file}:{line})"
        except LookupError:
            pass
        inline = " [inline]" if frame.is_inline else ""
        lines.append(f"    #{i:<2} {name}{inline}{where}")
    return lines


def open_dump(vmcore: str, vmlinux: str):
    """The drgn program of the dump, and notes on what of it had to be repaired or could not be."""
    import drgn
    prog = drgn.Program()
    prog.set_core_dump(vmcore)
    if not (prog.flags & drgn.ProgramFlags.IS_LINUX_KERNEL):
        raise SystemExit(f"{vmcore}: no VMCOREINFO in the dump (was QEMU started with -device vmcoreinfo, "
                         "and does the kernel have CONFIG_FW_CFG_SYSFS=y?)")
    repairs, notes = dump_segments.plan_repairs(dump_segments.read_loads(vmcore), os.path.getsize(vmcore))
    dump_segments.apply_repairs(prog, vmcore, repairs)
    if repairs:
        notes.insert(0, dump_segments.describe(repairs))
    prog.load_debug_info([vmlinux], default=False, main=True)
    return prog, notes


def counter(obj) -> int:
    """An atomic_long_t (or a plain integer) as an int."""
    try:
        return int(obj.counter)
    except (AttributeError, LookupError):
        return int(obj)


def memory_lines(prog) -> list[str]:
    """Free memory against the min watermarks, pages under writeback, and the packets received into
    the reserves that a socket without SOCK_MEMALLOC dropped: the state of a memory deadlock."""
    from drgn.helpers.linux.cpumask import for_each_possible_cpu
    from drgn.helpers.linux.percpu import per_cpu_ptr
    kb = prog["PAGE_SIZE"].value_() // 1024 if "PAGE_SIZE" in prog else 4
    out = ["Memory:"]
    try:
        zones, free_total, min_total = [], 0, 0
        nr_free, wmark_min = prog["NR_FREE_PAGES"].value_(), prog["WMARK_MIN"].value_()
        for nid in range(int(prog["nr_node_ids"])):
            pgdat = prog["node_data"][nid]
            if not pgdat:
                continue
            for zone in pgdat.node_zones:
                if counter(zone.managed_pages) == 0:
                    continue
                free = counter(zone.vm_stat[nr_free])
                low = int(zone._watermark[wmark_min])
                free_total, min_total = free_total + free, min_total + low
                zones.append(f"node {nid} {zone.name.string_().decode()} {free * kb} kB / min {low * kb} kB")
        out.append(f"  free {free_total * kb} kB against min watermarks of {min_total * kb} kB ({'; '.join(zones)})")
    except Exception as e:
        out.append(f"  (free memory could not be read: {e})")
    try:
        writeback = counter(prog["vm_node_stat"][prog["NR_WRITEBACK"].value_()])
        out.append(f"  under writeback: {writeback} pages")
    except Exception as e:
        out.append(f"  (pages under writeback could not be read: {e})")
    try:
        mib = prog["init_net"].mib.net_statistics
        index = prog["LINUX_MIB_PFMEMALLOCDROP"].value_()
        drops = sum(int(per_cpu_ptr(mib, cpu).mibs[index]) for cpu in for_each_possible_cpu(prog))
        out.append(f"  received into the reserves and dropped at a socket without SOCK_MEMALLOC "
                   f"(TcpExt PFMemallocDrop): {drops}")
    except Exception as e:
        out.append(f"  (TcpExt PFMemallocDrop could not be read: {e})")
    return out


# Entries of the established hash read at most: a corrupt chain must not keep the report going.
MAX_HASH_ENTRIES = 4096


def connection_lines(prog) -> list[str]:
    """The TCP connections of the established hash (init_net's, the global tcp_hashinfo): state,
    SOCK_MEMALLOC, segments unacknowledged and retransmitted. Every full socket is read (at most
    MAX_HASH_ENTRIES entries) before the section picks the ones it lists."""
    from drgn.helpers.linux.list_nulls import hlist_nulls_for_each_entry
    try:
        hashinfo = prog["tcp_hashinfo"]
        memalloc_bit = prog["SOCK_MEMALLOC"].value_()
        found: list[tcp_connections.Connection] = []
        read = 0
        for bucket in range(int(hashinfo.ehash_mask) + 1):
            chain = hashinfo.ehash[bucket].chain.address_of_()
            for common in hlist_nulls_for_each_entry("struct sock_common", chain, "skc_nulls_node"):
                read += 1
                if read > MAX_HASH_ENTRIES:
                    raise RuntimeError(f"more than {MAX_HASH_ENTRIES} entries in the established hash")
                state = int(common.skc_state)
                if state not in tcp_connections.NOT_FULL_SOCKETS:
                    found.append(read_connection(common, state, memalloc_bit))
        return tcp_connections.lines(found)
    except Exception as e:
        return ["TCP connections:", f"  (could not be read: {e})"]


def read_connection(common, state: int, memalloc_bit: int) -> tcp_connections.Connection:
    import socket
    from drgn import cast
    family = int(common.skc_family)
    if family == socket.AF_INET:
        local = int(common.skc_rcv_saddr).to_bytes(4, sys.byteorder)
        remote = int(common.skc_daddr).to_bytes(4, sys.byteorder)
    else:
        local = bytes(int(b) for b in common.skc_v6_rcv_saddr.in6_u.u6_addr8)
        remote = bytes(int(b) for b in common.skc_v6_daddr.in6_u.u6_addr8)
    tp = cast("struct tcp_sock *", common)
    icsk = cast("struct inet_connection_sock *", common)
    return tcp_connections.Connection(
        local=tcp_connections.address(family, local, int(common.skc_num)),
        remote=tcp_connections.address(family, remote, socket.ntohs(int(common.skc_dport))),
        state=state,
        memalloc=bool(int(common.skc_flags) >> memalloc_bit & 1),
        unacked=int(tp.packets_out),
        retransmissions=int(tp.total_retrans),
        backoff=int(icsk.icsk_backoff),
        queued=(int(tp.write_seq) - int(tp.snd_una)) & 0xFFFFFFFF)


def build_report(prog, vmcore: str, vmlinux: str, notes: list[str]) -> tuple[list[str], str]:
    from drgn.helpers.linux.pid import for_each_task
    release = prog["init_uts_ns"].name.release.string_().decode()
    blocked = []
    for task in for_each_task(prog):
        state = task_state(task)
        if state & TASK_UNINTERRUPTIBLE and not state & TASK_NOLOAD:
            blocked.append(task)
    blocked.sort(key=lambda t: int(t.pid))

    waits: list[Wait] = []
    stacks: dict[int, list[str]] = {}
    waiting_in: dict[int, str] = {}
    for task in blocked:
        pid = int(task.pid)
        try:
            trace = prog.stack_trace(task)
        except Exception as e:  # a task whose stack cannot be unwound still gets listed
            stacks[pid] = [f"    (no stack: {e})"]
            continue
        stacks[pid] = format_stack(trace)
        waiting_in[pid] = next((f.name for f in trace if f.name and not f.name.startswith(SCHEDULER_FRAMES)), "?")
        kind, lock = blocked_lock(prog, trace)
        if kind:
            try:
                waits.append(wait_of(prog, task, kind, lock))
            except Exception as e:
                stacks[pid].append(f"    (the {kind} it waits for could not be read: {e})")
    cycles = find_cycles(waits)
    by_pid = {w.pid: w for w in waits}

    out = ["numalab hang report", f"dump:    {vmcore}", f"vmlinux: {vmlinux}", f"kernel:  {release}"]
    out += [f"note:    {n}" for n in notes]
    out.append("")
    for c in cycles:
        out.append(describe_cycle(c))
    if cycles:
        out.append("")
    out.append(f"Lock waits ({len(waits)}):")
    out.extend(f"  {describe_wait(w, by_pid)}" for w in waits)
    if not waits:
        out.append("  none: no task in uninterruptible sleep waits for a mutex or rw-semaphore")
    out.append("")
    out += memory_lines(prog)
    out.append("")
    out += connection_lines(prog)
    out.append("")
    out.append(f"Tasks in uninterruptible sleep (D) ({len(blocked)}):")
    for task in blocked:
        pid = int(task.pid)
        out.append(f"  {comm(task)} pid {pid} tgid {int(task.tgid)}, in {waiting_in.get(pid, '?')}")
        out.extend(stacks.get(pid, []))
    line = summary(len(blocked), waits, cycles)
    out += ["", line]
    return out, line


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vmcore", required=True)
    ap.add_argument("--vmlinux", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    try:
        import drgn  # noqa: F401
    except ImportError:
        print("python3-drgn is not installed (scripts/install-deps installs it)", file=sys.stderr)
        return 3
    t0 = time.monotonic()
    prog, notes = open_dump(args.vmcore, args.vmlinux)
    loaded = time.monotonic() - t0
    lines, line = build_report(prog, args.vmcore, args.vmlinux, notes)
    took = time.monotonic() - t0
    lines.insert(-2, f"(analysis: {loaded:.1f} s to load the debug information, {took:.1f} s in all)")
    with open(args.out + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(args.out + ".tmp", args.out)
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
