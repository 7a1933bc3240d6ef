#!/usr/bin/python3
"""What compare_html_test.py uses: the renderer and headless Chromium run on a compare document, a
small DOM of what Chromium serialised, a PNG's pixels, and documents made hostile or of version 2."""

import copy
import html.parser
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.dirname(os.path.dirname(HERE))
RENDERER = os.path.join(HARNESS, "report", "compare_html.py")
FIXTURE = os.path.join(HARNESS, "tests", "golden", "compare", "compare.json")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
CHROMIUM_TIMEOUT_S = 60
EVIL_KERNEL = 'evil<script>document.title="pwned"</script>'
EVIL_DETAIL = '<script>alert(1)</script><img src=x onerror="alert(2)"> & "quoted"'


# --- a small DOM of what Chromium serialised ---------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children, self.texts = tag, dict(attrs), parent, [], []

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def find_all(self, tag=None, cls=(), **attrs):
        return [n for n in self.walk() if (tag is None or n.tag == tag) and all(c in n.classes() for c in cls)
                and all(n.attrs.get(k) == v for k, v in attrs.items())]

    def find(self, tag=None, **kw):
        found = self.find_all(tag, **kw)
        return found[0] if found else None

    def text(self):
        return "".join(self.texts) + "".join(c.text() for c in self.children)


class DomBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.texts.append(data)


def parse_dom(text):
    builder = DomBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# --- PNG, enough to count colours of a Chromium screenshot ---------------------------------------

def png_pixels(path):
    """(width, height, rows of bytes, bytes per pixel) of an 8-bit RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour_type}, interlace {interlace}")
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + previous[i]) // 2) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = previous[i], previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(line)
        previous = line
    return width, height, rows, bpp


# --- rendering and Chromium ------------------------------------------------------------------

def chromium_binary():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def render(document_path, outdir):
    return subprocess.run([PYTHON, RENDERER, document_path, outdir], capture_output=True, text=True, timeout=120)


def run_chromium(workdir, page, *extra):
    """Chromium's stdout for `page`; a fresh profile each time, killed (its whole group) on timeout."""
    binary = chromium_binary()
    if binary is None:
        raise AssertionError("chromium is not installed (apt-get install chromium): the HTML report of "
                             "`numalab compare` cannot be checked without it")
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=workdir)
    argv = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            f"--user-data-dir={profile}", *extra, "file://" + os.path.abspath(page)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=CHROMIUM_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError(f"chromium did not finish within {CHROMIUM_TIMEOUT_S} s: {' '.join(argv)}")
    if proc.returncode != 0:
        raise AssertionError(f"chromium exited with {proc.returncode}: {err.decode(errors='replace')[-2000:]}")
    return out.decode("utf-8")


def evil_variant(doc):
    """The fixture with a kernel name and a failure detail that try to inject markup."""
    doc = copy.deepcopy(doc)
    old = doc["kernels"][1]["name"]
    doc["kernels"][1]["name"] = EVIL_KERNEL
    for item in doc["runs"] + doc["failures"] + doc["regressions"]:
        if item["kernel"] == old:
            item["kernel"] = EVIL_KERNEL
    for c in doc["comparisons"]:
        if c["other"] == old:
            c["other"] = EVIL_KERNEL
    doc["failures"][0]["detail"] = EVIL_DETAIL
    doc["comparisons"][0]["metrics"][0]["note"] = EVIL_DETAIL
    return doc


def as_version_2(doc, without_noise=False):
    """The fixture (version 1) as numalab writes it since version 2: blocked by slot, with each metric's
    unblocked and blocked analyses and its noise."""
    doc = copy.deepcopy(doc)
    doc["version"] = 2
    doc["options"].update(blocking="auto", side_by_side=True, blocking_used="slot",
                          power_goal={"change": 0.1, "power": 0.8, "alpha": 0.05})
    for c in doc["comparisons"]:
        c["blocking"] = "slot"
        for m in c["metrics"]:
            m["blocking"] = "slot" if m["p_value"] is not None else "none"
            m["unblocked"] = {k: m[k] for k in ("ratio", "method", "method_reason", "ratio_interval", "p_value")}
            m["blocked"] = {"slots": 2, "slots_left_out": 0, "ratio": m["ratio"], "ratio_interval": m["ratio_interval"],
                            "p_value": m["p_value"], "log_sd": 0.02, "ratio_cv": 0.0200020}
            m["noise"] = {"baseline_cv": 0.1, "other_cv": 0.2, "ratio_cv": 0.2236, "blocked_ratio_cv": 0.0200020,
                          "boots_needed": 45, "boots_needed_blocked": 3}
            if without_noise:
                del m["noise"]
                break
    return doc


SHARED = {"machine": "guest", "workload": "numa02", "after": ["cpuset-rebind"],
          "text": "numa02 ran after cpuset-rebind in the same boot (machine guest)"}


def as_version_3(doc, shared=(SHARED,)):
    """Version 2 as numalab writes it since version 3: with the workloads that shared a boot."""
    doc = as_version_2(doc)
    doc["version"] = 3
    doc["shared_boots"] = list(shared)
    return doc


def write_json(doc, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    return path
