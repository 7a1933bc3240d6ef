"""The PT_LOAD segments of a QEMU dump-guest-memory ELF file, and the repair of the ones QEMU cut short.

QEMU (7.2 at least) writes guest memory into the file block by block, in physical order, and with
paging=true describes each virtual mapping the guest's page tables have by one PT_LOAD. A mapping
that spans two RAM blocks gets a file size that stops at the end of the first block: memsz is the
whole mapping, filesz only its first part. A NUMA guest has one memory backend per node, so the
kernel's direct map, one mapping over all of RAM, is cut at the end of node 0; every task, lock and
page on the other nodes then reads as zeros, although their bytes are in the file.

When the file's data is laid out at one constant offset from the physical address (every segment
with data agrees, and the file is long enough), the missing part of a cut segment is at that same
offset, and it can be read from the file. No drgn here: this reads the ELF headers only.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

PT_LOAD = 1
ELF_HEADER = struct.Struct("<16sHHIQQQIHHHHHH")
PROGRAM_HEADER = struct.Struct("<IIQQQQQQ")
MAX_SEGMENTS = 1 << 16  # a dump of a large guest has thousands; more is not a QEMU dump


@dataclass(frozen=True)
class Load:
    offset: int
    vaddr: int
    paddr: int
    filesz: int
    memsz: int


@dataclass(frozen=True)
class Repair:
    """Bytes [vaddr, vaddr + size) (physical [paddr, paddr + size)) are at file offset `offset`."""

    vaddr: int
    paddr: int
    size: int
    offset: int


def read_loads(path: str) -> list[Load]:
    """The PT_LOAD segments of a 64-bit little-endian ELF file; ValueError when it is not one."""
    with open(path, "rb") as f:
        head = f.read(ELF_HEADER.size)
        if len(head) < ELF_HEADER.size or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            raise ValueError(f"{path}: not a 64-bit little-endian ELF file")
        fields = ELF_HEADER.unpack(head)
        phoff, phentsize, phnum = fields[5], fields[9], fields[10]
        if phentsize < PROGRAM_HEADER.size or phnum > MAX_SEGMENTS:
            raise ValueError(f"{path}: {phnum} program headers of {phentsize} bytes")
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    if len(table) < phentsize * phnum:
        raise ValueError(f"{path}: the program headers run past the end of the file")
    loads = []
    for i in range(phnum):
        p_type, _, offset, vaddr, paddr, filesz, memsz, _ = PROGRAM_HEADER.unpack_from(table, i * phentsize)
        if p_type == PT_LOAD:
            loads.append(Load(offset, vaddr, paddr, filesz, memsz))
    return loads


def plan_repairs(loads: list[Load], file_size: int) -> tuple[list[Repair], list[str]]:
    """The cut segments' missing parts that the file holds, and a note for each one it does not."""
    deltas = {ld.offset - ld.paddr for ld in loads if ld.filesz}
    repairs: list[Repair] = []
    notes: list[str] = []
    for ld in loads:
        if ld.filesz >= ld.memsz:
            continue
        missing = ld.memsz - ld.filesz
        where = f"{missing >> 20} MiB at physical {ld.paddr + ld.filesz:#x}"
        if len(deltas) != 1:
            notes.append(f"{where} reads as zeros: the file's data is not at one offset from the physical address")
        elif ld.offset + ld.memsz > file_size:
            notes.append(f"{where} reads as zeros: past the end of the file")
        else:
            repairs.append(Repair(ld.vaddr + ld.filesz, ld.paddr + ld.filesz, missing, ld.offset + ld.filesz))
    return repairs, notes


def describe(repairs: list[Repair]) -> str:
    total = sum(r.size for r in repairs)
    return (f"{len(repairs)} segment{'s' if len(repairs) != 1 else ''} QEMU cut short at a memory block's end "
            f"({total >> 20} MiB) read from the file")


def apply_repairs(prog, path: str, repairs: list[Repair]) -> None:
    """Adds each repaired range to the drgn program, virtual and physical; newer segments win."""
    if not repairs:
        return
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    for r in repairs:
        def read(_address: int, count: int, offset: int, _physical: bool, base: int = r.offset) -> bytes:
            data = os.pread(fd, count, base + offset)
            return data if len(data) == count else data + bytes(count - len(data))

        prog.add_memory_segment(r.vaddr, r.size, read)
        prog.add_memory_segment(r.paddr, r.size, read, True)
