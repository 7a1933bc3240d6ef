"""The TCP connections of a hang report, as plain data and text: where a swap-over-NFS client's
writes stand. A deadlock on the reserves looks different from here depending on where the replies
were lost: an ESTABLISHED transport with segments unacknowledged and retransmitted again and again
(its ACKs dropped on the way in), or one that is reconnecting (SYN_SENT) and never gets an answer.
Whether the socket may take in what was received into the reserves (SOCK_MEMALLOC) is the 2007
series' point and is shown too. No drgn here; hang_report.py reads the dump into Connection."""

from __future__ import annotations

from dataclasses import dataclass

# include/net/tcp_states.h
STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
          6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING",
          12: "NEW_SYN_RECV"}
# Entries of the established hash that are not full sockets (struct inet_timewait_sock and struct
# request_sock): their tcp_sock fields must not be read.
NOT_FULL_SOCKETS = (6, 12)
# States in which the SYN, not data, holds the first sequence number not acknowledged.
SYN_STATES = (2, 3)
# A guest under test can have any number of sockets; the report lists this many of those read.
MAX_LISTED = 32


@dataclass(frozen=True)
class Connection:
    local: str  # "10.77.0.2:797"
    remote: str
    state: int
    memalloc: bool  # SOCK_MEMALLOC
    unacked: int  # segments sent and not acknowledged (packets_out)
    retransmissions: int  # in the connection's life (total_retrans)
    backoff: int  # the retransmission timer's current exponential backoff
    queued: int  # bytes written to the socket and not acknowledged (write_seq - snd_una)


def state_name(state: int) -> str:
    return STATES.get(state, f"state {state}")


def plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def describe(c: Connection) -> str:
    """One line: '10.77.0.2:797 -> 10.77.0.1:2049 ESTABLISHED, SOCK_MEMALLOC: 70 segments
    unacknowledged, 401 retransmissions (backoff 3), 306,456 bytes queued'."""
    head = f"{c.local} -> {c.remote} {state_name(c.state)}{', SOCK_MEMALLOC' if c.memalloc else ''}"
    parts = [plural(c.unacked, "segment", "segments") + " unacknowledged",
             plural(c.retransmissions, "retransmission", "retransmissions")
             + (f" (backoff {c.backoff})" if c.backoff else "")]
    queued = max(0, c.queued - 1) if c.state in SYN_STATES else c.queued
    if queued:
        parts.append(f"{queued:,} {'byte' if queued == 1 else 'bytes'} queued")
    return f"{head}: {', '.join(parts)}"


def lines(connections: list[Connection]) -> list[str]:
    """The report's section: the MAX_LISTED connections with the most retransmissions, the
    rest counted."""
    listed = sorted(connections, key=lambda c: (-c.retransmissions, -c.unacked, c.local, c.remote))
    out = [f"TCP connections ({len(connections)}):"]
    out += [f"  {describe(c)}" for c in listed[:MAX_LISTED]]
    if len(listed) > MAX_LISTED:
        out.append(f"  ... and {len(listed) - MAX_LISTED} more")
    if not connections:
        out.append("  none")
    return out


def address(family: int, raw: bytes, port: int) -> str:
    """An endpoint from its address bytes in network order (4 for AF_INET, 16 for AF_INET6)."""
    if family == 2 and len(raw) >= 4:
        return ".".join(str(b) for b in raw[:4]) + f":{port}"
    if len(raw) >= 16:
        groups = [f"{int.from_bytes(raw[i:i + 2], 'big'):x}" for i in range(0, 16, 2)]
        return f"[{':'.join(groups)}]:{port}"
    return f"?:{port}"
