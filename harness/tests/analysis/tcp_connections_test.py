#!/usr/bin/python3
"""The TCP connections section of the hang report (harness/analysis/tcp_connections.py) on plain
data: no dump, no drgn."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "analysis"))
from tcp_connections import MAX_LISTED, Connection, address, describe, lines  # noqa: E402


def nfs(port=796, state=1, memalloc=True, unacked=0, retransmissions=0, backoff=0, queued=0):
    return Connection(f"10.77.0.2:{port}", "10.77.0.1:2049", state, memalloc, unacked, retransmissions,
                      backoff, queued)


class TcpConnections(unittest.TestCase):
    def test_a_transport_whose_acks_are_dropped_shows_its_retransmissions_and_no_memalloc(self):
        self.assertEqual(describe(nfs(state=1, memalloc=False, unacked=70, retransmissions=401, backoff=3,
                                      queued=406456)),
                         "10.77.0.2:796 -> 10.77.0.1:2049 ESTABLISHED: 70 segments unacknowledged, "
                         "401 retransmissions (backoff 3), 406,456 bytes queued")

    def test_a_reconnecting_transport_does_not_count_its_syn_as_data(self):
        self.assertEqual(describe(nfs(port=797, state=2, unacked=1, retransmissions=2, backoff=2, queued=1)),
                         "10.77.0.2:797 -> 10.77.0.1:2049 SYN_SENT, SOCK_MEMALLOC: 1 segment unacknowledged, "
                         "2 retransmissions (backoff 2)")

    def test_one_byte_and_thousands(self):
        self.assertTrue(describe(nfs(queued=1)).endswith(", 1 byte queued"))
        self.assertIn("1,200 retransmissions", describe(nfs(retransmissions=1200)))

    def test_an_idle_connection_says_so_in_few_words(self):
        self.assertEqual(describe(nfs()), "10.77.0.2:796 -> 10.77.0.1:2049 ESTABLISHED, SOCK_MEMALLOC: "
                                          "0 segments unacknowledged, 0 retransmissions")

    def test_an_unknown_state_is_shown_by_its_number(self):
        self.assertIn(" state 99:", describe(nfs(state=99, memalloc=False)))

    def test_the_section_lists_the_most_retransmitted_first(self):
        out = lines([nfs(port=1, retransmissions=1), nfs(port=2, retransmissions=40), nfs(port=3)])
        self.assertEqual(out[0], "TCP connections (3):")
        self.assertEqual([line.split(" ")[2] for line in out[1:]],
                         ["10.77.0.2:2", "10.77.0.2:1", "10.77.0.2:3"])

    def test_a_flood_of_sockets_is_cut_and_counted(self):
        out = lines([nfs(port=p) for p in range(MAX_LISTED + 15)])
        self.assertEqual(out[0], f"TCP connections ({MAX_LISTED + 15}):")
        self.assertEqual(len(out), 1 + MAX_LISTED + 1)
        self.assertEqual(out[-1], "  ... and 15 more")


    def test_no_connection_is_said(self):
        self.assertEqual(lines([]), ["TCP connections (0):", "  none"])

    def test_addresses_in_network_order(self):
        self.assertEqual(address(2, bytes([10, 77, 0, 2]), 797), "10.77.0.2:797")
        self.assertEqual(address(10, bytes([0xfe, 0x80] + [0] * 13 + [1]), 2049), "[fe80:0:0:0:0:0:0:1]:2049")
        self.assertEqual(address(10, b"", 1), "?:1")


if __name__ == "__main__":
    unittest.main()
