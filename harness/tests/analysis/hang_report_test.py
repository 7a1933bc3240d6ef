#!/usr/bin/python3
"""The stack formatting of harness/analysis/hang_report.py on stand-in frames: no dump, no drgn."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "analysis"))
from hang_report import format_stack  # noqa: E402


class Frame:
    """What format_stack reads of a drgn StackFrame."""

    def __init__(self, name=None, pc=None, source=None, inline=False):
        self.name, self._pc, self._source, self.is_inline = name, pc, source, inline

    @property
    def pc(self):
        if self._pc is None:
            raise LookupError("program counter is not known")
        return self._pc

    def source(self):
        if self._source is None:
            raise LookupError("source code location is not known")
        return self._source + (0,)


class FormatStack(unittest.TestCase):
    def test_named_frames_with_their_source(self):
        self.assertEqual(format_stack([Frame("mempool_alloc", 0x1, ("../src/mm/mempool.c", 456)),
                                       Frame("swap_writepage_fs", 0x2, ("../src/mm/page_io.c", 314), True)]),
                         ["    #0  mempool_alloc (../src/mm/mempool.c:456)",
                          "    #1  swap_writepage_fs [inline] (../src/mm/page_io.c:314)"])

    def test_a_frame_without_a_name_is_shown_by_its_address(self):
        self.assertEqual(format_stack([Frame(pc=0xffffffff8100101f)]), ["    #0  0xffffffff8100101f"])

    def test_a_frame_without_a_program_counter_does_not_end_the_stack(self):
        self.assertEqual(format_stack([Frame("schedule", 0x1), Frame(), Frame("kthread", 0x3)]),
                         ["    #0  schedule", "    #1  ?", "    #2  kthread"])


if __name__ == "__main__":
    unittest.main()
