#!/usr/bin/python3
"""The waits-for graph of harness/analysis/waits_for.py on plain data (no dump, no drgn)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "analysis"))
from waits_for import Wait, describe_cycle, describe_wait, find_cycles, summary  # noqa: E402


class WaitsFor(unittest.TestCase):
    def test_a_task_that_takes_its_own_mutex_again_is_a_deadlock_of_one(self):
        w = Wait(321, "numalab-trigger", "mutex", "self_lock", 321, "numalab-trigger")
        cycles = find_cycles([w])
        self.assertEqual(cycles, [[w]])
        self.assertEqual(describe_cycle(cycles[0]),
                         "DEADLOCK: task numalab-trigger (pid 321) waits for mutex self_lock owned by itself")
        self.assertIn("(itself)", describe_wait(w, {321: w}))

    def test_abba_is_one_cycle_starting_at_the_lowest_pid(self):
        b = Wait(52, "numalab-abba-b", "mutex", "abba_a", 51, "numalab-abba-a")
        a = Wait(51, "numalab-abba-a", "mutex", "abba_b", 52, "numalab-abba-b")
        cycles = find_cycles([b, a])
        self.assertEqual(cycles, [[a, b]])
        self.assertEqual(describe_cycle(cycles[0]),
                         "DEADLOCK: task numalab-abba-a (pid 51) waits for mutex abba_b owned by "
                         "numalab-abba-b (pid 52), which waits for mutex abba_a owned by numalab-abba-a (pid 51)")

    def test_three_tasks_and_a_rwsem(self):
        waits = [Wait(10, "a", "mutex", "m1", 20, "b"), Wait(20, "b", "rwsem", "s1", 30, "c"),
                 Wait(30, "c", "mutex", "m2", 10, "a")]
        cycles = find_cycles(waits)
        self.assertEqual(len(cycles), 1)
        self.assertEqual([w.pid for w in cycles[0]], [10, 20, 30])
        self.assertIn("which waits for rwsem s1 owned by c (pid 30)", describe_cycle(cycles[0]))

    def test_waiters_behind_a_cycle_are_not_part_of_it(self):
        waits = [Wait(5, "late", "mutex", "abba_a", 51, "a"), Wait(51, "a", "mutex", "abba_b", 52, "b"),
                 Wait(52, "b", "mutex", "abba_a", 51, "a"), Wait(6, "later", "mutex", "x", 5, "late")]
        cycles = find_cycles(waits)
        self.assertEqual([[w.pid for w in c] for c in cycles], [[51, 52]])

    def test_a_chain_to_a_running_owner_is_no_deadlock(self):
        waits = [Wait(7, "writer", "rwsem", "0xffff888004a1c0d8", 8, "holder")]
        self.assertEqual(find_cycles(waits), [])
        by_pid = {w.pid: w for w in waits}
        self.assertEqual(describe_wait(waits[0], by_pid),
                         "writer (pid 7) waits for rwsem 0xffff888004a1c0d8 owned by holder (pid 8), "
                         "which is not waiting for a lock")

    def test_a_reader_owned_rwsem_has_no_single_owner(self):
        w = Wait(7, "writer", "rwsem", "mmap_lock", None, "held by 2 reader(s)")
        self.assertEqual(find_cycles([w]), [])
        self.assertEqual(describe_wait(w, {7: w}), "writer (pid 7) waits for rwsem mmap_lock (held by 2 reader(s))")

    def test_two_separate_cycles(self):
        waits = [Wait(3, "x", "mutex", "l3", 3, "x"), Wait(1, "p", "mutex", "l1", 2, "q"),
                 Wait(2, "q", "mutex", "l2", 1, "p")]
        self.assertEqual([[w.pid for w in c] for c in find_cycles(waits)], [[1, 2], [3]])

    def test_summary_line(self):
        w = Wait(321, "numalab-trigger", "mutex", "self_lock", 321, "numalab-trigger")
        self.assertEqual(summary(2, [w], find_cycles([w])),
                         "2 tasks in uninterruptible sleep, 1 waiting for a mutex or rw-semaphore, "
                         "1 deadlock: numalab-trigger (pid 321)")
        self.assertEqual(summary(1, [], []),
                         "1 task in uninterruptible sleep, 0 waiting for a mutex or rw-semaphore, no deadlock cycle")


if __name__ == "__main__":
    unittest.main()
