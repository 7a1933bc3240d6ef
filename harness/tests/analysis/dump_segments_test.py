#!/usr/bin/python3
"""harness/analysis/dump_segments.py on small ELF files laid out as QEMU lays out a two-node
guest's paging dump (no drgn, no guest)."""

import os
import struct
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "analysis"))
from dump_segments import PROGRAM_HEADER, Repair, describe, plan_repairs, read_loads  # noqa: E402

DIRECT_MAP = 0xFF11000000000000  # 5-level paging's page_offset_base, as in lab kernels under TCG


def elf(loads, data_size):
    """An ELF core: header, program headers (a NOTE, then the loads), then `data_size` bytes."""
    phoff, count = 64, len(loads) + 1
    head = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 4, 62, 1, 0, phoff, 0, 0, 64,
                       PROGRAM_HEADER.size, count, 0, 0, 0)
    table = PROGRAM_HEADER.pack(4, 0, 0, 0, 0, 0, 0, 0)
    for offset, vaddr, paddr, filesz, memsz in loads:
        table += PROGRAM_HEADER.pack(1, 0, offset, vaddr, paddr, filesz, memsz, 0)
    return head + table + bytes(data_size)


class DumpSegments(unittest.TestCase):
    def write(self, content):
        f = tempfile.NamedTemporaryFile(delete=False)
        f.write(content)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_the_direct_map_cut_at_node_0s_end_is_read_from_the_file(self):
        # Node 0 is physical 0-4 MiB, node 1 4-8 MiB; data at offset 0x1000 + physical address.
        base, node = 0x1000, 4 << 20
        path = self.write(elf([(base, DIRECT_MAP, 0, node, 2 * node),            # cut by QEMU
                               (base + 0x5000, 0xFFA0000000000000, 0x5000, 0x1000, 0x1000),
                               (base + node + 0x2000, 0xFFFFFFFF81000000, node + 0x2000, 0x1000, 0x1000)],
                              base + 2 * node - 64 - 4 * PROGRAM_HEADER.size))
        loads = read_loads(path)
        self.assertEqual(len(loads), 3)
        repairs, notes = plan_repairs(loads, os.path.getsize(path))
        self.assertEqual(notes, [])
        self.assertEqual(repairs, [Repair(DIRECT_MAP + node, node, node, base + node)])
        self.assertEqual(describe(repairs), "1 segment QEMU cut short at a memory block's end (4 MiB) read from the file")

    def test_a_cut_segment_whose_rest_is_not_in_the_file_stays_cut_and_says_why(self):
        path = self.write(elf([(0x1000, DIRECT_MAP, 0, 1 << 20, 2 << 20)], 1 << 20))
        repairs, notes = plan_repairs(read_loads(path), os.path.getsize(path))
        self.assertEqual(repairs, [])
        self.assertEqual(notes, ["1 MiB at physical 0x100000 reads as zeros: past the end of the file"])

    def test_data_at_two_offsets_is_not_guessed_at(self):
        path = self.write(elf([(0x1000, DIRECT_MAP, 0, 1 << 20, 2 << 20),
                               (0x9000, 0xFFA0000000000000, 0x100000000, 0x1000, 0x1000)], 4 << 20))
        repairs, notes = plan_repairs(read_loads(path), os.path.getsize(path))
        self.assertEqual(repairs, [])
        self.assertIn("not at one offset from the physical address", notes[0])

    def test_a_whole_dump_needs_no_repair(self):
        path = self.write(elf([(0x1000, DIRECT_MAP, 0, 1 << 20, 1 << 20)], 1 << 20))
        self.assertEqual(plan_repairs(read_loads(path), os.path.getsize(path)), ([], []))

    def test_what_is_not_an_elf_core_is_a_value_error(self):
        for content in (b"", b"not an elf file at all" * 4, b"\x7fELF\x01\x01" + bytes(60)):
            with self.assertRaises(ValueError):
                read_loads(self.write(content))
        truncated = elf([(0x1000, DIRECT_MAP, 0, 1, 1)], 0)[:80]
        with self.assertRaises(ValueError):
            read_loads(self.write(truncated))


if __name__ == "__main__":
    unittest.main()
