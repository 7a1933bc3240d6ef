"""The waits-for graph of blocked kernel tasks, as plain data: who waits for which lock, who owns
it, and the cycles of waiters (deadlocks). No drgn here, so it can be tested without a dump."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Wait:
    """Task `pid` (named `comm`) sleeps on a lock of `kind` ("mutex", "rwsem") named `lock`,
    owned by `owner_pid` (None: no single owner is known, e.g. a reader-owned rwsem)."""

    pid: int
    comm: str
    kind: str
    lock: str
    owner_pid: Optional[int] = None
    owner_comm: str = ""


def find_cycles(waits: list[Wait]) -> list[list[Wait]]:
    """Every cycle of the waits-for graph once, each starting at its lowest pid, ordered by it.
    A task waits for at most one lock, so each task has at most one outgoing edge."""
    by_pid = {w.pid: w for w in waits}
    cycles: list[list[Wait]] = []
    done: set[int] = set()
    for start in sorted(by_pid):
        path: list[int] = []
        on_path: dict[int, int] = {}
        pid: Optional[int] = start
        while pid is not None and pid in by_pid and pid not in done and pid not in on_path:
            on_path[pid] = len(path)
            path.append(pid)
            pid = by_pid[pid].owner_pid
        if pid is not None and pid in on_path:
            ring = path[on_path[pid]:]
            first = ring.index(min(ring))
            cycles.append([by_pid[p] for p in ring[first:] + ring[:first]])
        done.update(path)
    return sorted(cycles, key=lambda c: c[0].pid)


def task_name(comm: str, pid: Optional[int]) -> str:
    return f"{comm} (pid {pid})" if pid is not None else comm


def describe_cycle(cycle: list[Wait]) -> str:
    """'DEADLOCK: task A (pid 1) waits for mutex X owned by B (pid 2), which waits for mutex Y
    owned by A (pid 1)'."""
    first = cycle[0]
    if len(cycle) == 1:
        return (f"DEADLOCK: task {task_name(first.comm, first.pid)} waits for {first.kind} {first.lock} "
                f"owned by itself")
    text = f"DEADLOCK: task {task_name(first.comm, first.pid)}"
    for i, w in enumerate(cycle):
        nxt = cycle[(i + 1) % len(cycle)]
        text += (" waits for" if i == 0 else ", which waits for")
        text += f" {w.kind} {w.lock} owned by {task_name(nxt.comm, nxt.pid)}"
    return text


def describe_wait(w: Wait, by_pid: dict[int, Wait]) -> str:
    """One line: the lock a task waits for and its owner, and what the owner does."""
    if w.owner_pid is None:
        owner = w.owner_comm or "no single owner known"
        return f"{task_name(w.comm, w.pid)} waits for {w.kind} {w.lock} ({owner})"
    line = f"{task_name(w.comm, w.pid)} waits for {w.kind} {w.lock} owned by {task_name(w.owner_comm, w.owner_pid)}"
    if w.owner_pid == w.pid:
        return line + " (itself)"
    if w.owner_pid in by_pid:
        nxt = by_pid[w.owner_pid]
        return line + f", which waits for {nxt.kind} {nxt.lock}"
    return line + ", which is not waiting for a lock"


def summary(blocked: int, waits: list[Wait], cycles: list[list[Wait]]) -> str:
    """The report's last line, which numalab keeps in capture.json."""
    tasks = f"{blocked} task{'s' if blocked != 1 else ''} in uninterruptible sleep"
    locks = f"{len(waits)} waiting for a mutex or rw-semaphore"
    if not cycles:
        return f"{tasks}, {locks}, no deadlock cycle"
    names = "; ".join(" -> ".join(task_name(w.comm, w.pid) for w in c) for c in cycles)
    return f"{tasks}, {locks}, {len(cycles)} deadlock{'s' if len(cycles) != 1 else ''}: {names}"
