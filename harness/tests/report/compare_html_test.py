#!/usr/bin/python3
"""The HTML report of `numalab compare`, rendered from a compare document and opened in headless
Chromium: what Chromium built from the page is what a user sees.

Runs without VMs (ctest label unit). Chromium is required: without it the test fails, it never
skips. Standard library only; the renderer itself runs under Debian's python3 with matplotlib.
"""

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
import unittest
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


def write_json(doc, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    return path


class CompareHtmlTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="compare-html-test-")
        with open(FIXTURE, encoding="utf-8") as f:
            cls.doc = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def rendered(self, doc, name):
        """The page Chromium built from `doc` (rendered into a folder `name`), as a DOM."""
        outdir = os.path.join(self.tmp, name)
        result = render(write_json(doc, os.path.join(self.tmp, name + ".json")), outdir)
        self.assertEqual(result.returncode, 0, f"compare_html.py failed: {result.stderr}")
        page = os.path.join(outdir, "index.html")
        self.assertTrue(os.path.isfile(page))
        return parse_dom(run_chromium(self.tmp, page, "--dump-dom")), page

    def fixture_dom(self):
        if not hasattr(type(self), "_dom"):
            type(self)._dom, type(self)._page = self.rendered(self.doc, "fixture")
        return type(self)._dom

    def table_rows(self, dom, table_id):
        table = dom.find("table", id=table_id)
        self.assertIsNotNone(table, f"no table#{table_id} in the page")
        body = table.find("tbody")
        return [tr for tr in body.children if tr.tag == "tr"]

    def test_header_names_the_kernels_and_their_build(self):
        dom = self.fixture_dom()
        self.assertIn("numab-fast-scan", dom.find("h1").text())
        kernels = self.table_rows(dom, "kernels")
        self.assertEqual(len(kernels), len(self.doc["kernels"]))
        text = dom.find("table", id="kernels").text()
        for k in self.doc["kernels"]:
            self.assertIn(k["cache_key"], text)
            self.assertIn(k["series"], text)
            self.assertIn(k["series_hash"][:12], text)
        self.assertIsNone(dom.find(id="incomplete"), "a complete compare said it was incomplete")

    def test_method_states_the_correction_and_the_sign_convention(self):
        text = " ".join(self.fixture_dom().find("section", id="method").text().split())
        self.assertIn("Benjamini\u2013Hochberg", text)
        self.assertIn("q = 0.05", text)
        self.assertIn("below 50 boots per kernel", text)
        self.assertIn("+ means better", text)

    def test_metrics_table_has_a_row_per_metric_with_its_mark(self):
        dom = self.fixture_dom()
        metrics = self.doc["comparisons"][0]["metrics"]
        rows = self.table_rows(dom, "metrics-numab-fast-scan")
        self.assertEqual(len(rows), len(metrics))
        for row, m in zip(rows, metrics):
            cells = [td.text().strip() for td in row.children if td.tag == "td"]
            self.assertEqual(cells[:2], [m["workload"], m["name"]])
            mark = row.find("span", cls=("mark",))
            self.assertEqual(mark.text(), m["change"])
        regression = next(r for r, m in zip(rows, metrics) if m["change"] == "regression")
        self.assertIn("regression", regression.find("span", cls=("mark",)).classes())
        self.assertIn("\u2212", regression.text(), "a regression's change is shown with a minus sign")
        summary = self.table_rows(dom, "workloads-numab-fast-scan")
        self.assertEqual(len(summary), len(self.doc["comparisons"][0]["workloads"]))

    def test_failures_and_regressions_are_listed(self):
        dom = self.fixture_dom()
        self.assertIn("1 functional failure, 1 significant regression", dom.find(id="banner").text())
        failure = self.doc["failures"][0]
        rows = self.table_rows(dom, "failures")
        self.assertEqual(len(rows), 1)
        for value in (failure["kernel"], failure["workload"], failure["run_id"], failure["detail"]):
            self.assertIn(value, rows[0].text())
        rows = self.table_rows(dom, "regressions")
        self.assertEqual(len(rows), 1)
        self.assertIn(self.doc["regressions"][0]["metric"], rows[0].text())

    def drawn_paths(self, svg):
        return [p for p in svg.find_all("path") if len(p.attrs.get("d") or "") > 10]

    def test_distribution_figures_plot_every_metric_with_a_value(self):
        dom = self.fixture_dom()
        figures = dom.find_all("figure", cls=("plot", "distribution"))
        self.assertEqual([f.attrs["id"] for f in figures], ["distribution-topology-check", "distribution-numa02"])
        numa02 = dom.find("figure", id="distribution-numa02")
        svg = numa02.find("svg")
        self.assertIsNotNone(svg, "the numa02 figure has no inline SVG")
        self.assertGreater(len(self.drawn_paths(svg)), 25)
        titles = {t.text() for t in svg.find_all("text")}
        self.assertIn("system_s", titles)
        self.assertIn("numab-fast-scan", titles, "the legend names the kernels")
        self.assertNotIn("kthreads_cpu_s", titles, "a metric absent everywhere has no plot")

    def test_locality_figure_has_a_line_per_run(self):
        dom = self.fixture_dom()
        figures = dom.find_all("figure", cls=("plot", "locality"))
        self.assertEqual([f.attrs["id"] for f in figures], ["locality-numa02"])
        svg = figures[0].find("svg")
        paths = self.drawn_paths(svg)
        coloured = [p for p in paths if "#1f77b4" in (p.attrs.get("style") or "")
                    or "#ff7f0e" in (p.attrs.get("style") or "")]
        runs = sum(1 for r in self.doc["runs"] if r["summary"] is not None)
        self.assertGreaterEqual(len(coloured), runs + 2, "a line per run in its kernel's colour, and the legend's")
        legend = {t.text() for t in svg.find_all("text")}
        self.assertTrue({"baseline", "numab-fast-scan"} <= legend)

    def test_run_list(self):
        rows = self.table_rows(self.fixture_dom(), "runs")
        self.assertEqual(len(rows), len(self.doc["runs"]))
        self.assertIn("fail", rows[3].text())

    def test_page_renders_to_pixels(self):
        self.fixture_dom()
        shot = os.path.join(self.tmp, "fixture.png")
        run_chromium(self.tmp, type(self)._page, f"--screenshot={shot}", "--window-size=1200,4000",
                     "--force-device-scale-factor=0.5", "--hide-scrollbars")
        width, height, rows, bpp = png_pixels(shot)
        colours, saturated = set(), 0
        for row in rows:
            for i in range(0, width * bpp, bpp):
                r, g, b = row[i], row[i + 1], row[i + 2]
                colours.add((r, g, b))
                saturated += max(r, g, b) - min(r, g, b) > 80
        self.assertGreater(len(colours), 50, "the screenshot is (nearly) blank")
        self.assertGreater(saturated, 200, "no coloured pixels: marks and plots did not render")

    def test_names_and_details_from_the_document_are_escaped(self):
        dom, _ = self.rendered(evil_variant(self.doc), "evil")
        self.assertEqual(dom.find_all("script"), [], "a <script> from the document reached the page")
        self.assertEqual(dom.find_all("img"), [], "an <img> from the document reached the page")
        for node in dom.walk():
            self.assertFalse([a for a in node.attrs if a.startswith("on")], f"event handler on <{node.tag}>")
        self.assertNotIn("pwned", dom.find("title").text())
        self.assertIn(EVIL_DETAIL, self.table_rows(dom, "failures")[0].text())
        self.assertIn(EVIL_KERNEL, dom.find("h1").text())
        self.assertIsNotNone(dom.find("table", id="metrics-evil_script_document.title__pwned___script_"))

    def test_incomplete_compare_says_so(self):
        doc = copy.deepcopy(self.doc)
        doc["complete"] = False
        doc["runs"][-1]["summary"] = None
        outdir = os.path.join(self.tmp, "incomplete")
        result = render(write_json(doc, os.path.join(self.tmp, "incomplete.json")), outdir)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(outdir, "index.html"), encoding="utf-8") as f:
            dom = parse_dom(f.read())
        total = len(doc["runs"])
        self.assertIn(f"complete: no ({total - 1} of {total} runs)", dom.find(id="incomplete").text())
        self.assertIn("not run", self.table_rows(dom, "runs")[-1].text())

    def test_aa_comparison_reports_the_noise(self):
        doc = copy.deepcopy(self.doc)
        base = doc["kernels"][0]["name"]
        doc["kernels"][1] = dict(doc["kernels"][0])
        for item in doc["runs"] + doc["failures"] + doc["regressions"]:
            item["kernel"] = base
        doc["comparisons"][0].update(other=base, aa=True)
        doc["aa_noise"] = {"tested": 20, "interval_excludes_one": 1, "flagged": 0, "raw_share": 0.05,
                           "flagged_share": 0.0, "nominal": 0.05}
        outdir = os.path.join(self.tmp, "aa")
        result = render(write_json(doc, os.path.join(self.tmp, "aa.json")), outdir)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(outdir, "index.html"), encoding="utf-8") as f:
            dom = parse_dom(f.read())
        rows = [" ".join(td.text().strip() for td in r.children) for r in self.table_rows(dom, "aa")]
        self.assertEqual(rows[0], "metrics tested 20")
        self.assertIn("1 (5.0 %)", rows[1])
        self.assertIn("0 (0.0 %)", rows[2])
        self.assertIn("false alarm", dom.find("section", id="aa-noise").text())
        self.assertEqual(len(self.table_rows(dom, f"metrics-{base}")), len(doc["comparisons"][0]["metrics"]))

    def test_version_2_shows_the_blocking_and_the_noise(self):
        dom, _ = self.rendered(as_version_2(self.doc), "v2")
        self.assertIn("Blocked by slot", dom.find(id="blocking").text())
        rows = self.table_rows(dom, "metrics-numab-fast-scan")
        cells = [td.text().strip() for td in rows[0].children if td.tag == "td"]
        self.assertIn("22.4 % / 2.0 %", cells)
        self.assertIn("45 / 3", cells)
        # A version 1 document has no noise: its columns say so rather than fail.
        v1 = self.table_rows(self.fixture_dom(), "metrics-numab-fast-scan")
        self.assertIn("–", [td.text().strip() for td in v1[0].children if td.tag == "td"])
        self.assertIsNone(self.fixture_dom().find(id="blocking"))

    def test_malformed_documents_exit_2_with_one_line(self):
        def without(path):
            doc = copy.deepcopy(self.doc)
            *parents, last = path
            target = doc
            for p in parents:
                target = target[p]
            del target[last]
            return json.dumps(doc)

        wrong_format = dict(self.doc, format="numalab-run")
        cases = {
            "not-json": "{\"format\": ",
            "wrong-format": json.dumps(wrong_format),
            "wrong-version": json.dumps(dict(self.doc, version=99)),
            "v2-metric-without-noise": json.dumps(as_version_2(self.doc, without_noise=True)),
            "no-comparisons": without(["comparisons"]),
            "metric-without-unit": without(["comparisons", 0, "metrics", 3, "unit"]),
            "array": "[]",
        }
        for name, content in cases.items():
            with self.subTest(name):
                source = os.path.join(self.tmp, f"bad-{name}.json")
                with open(source, "w", encoding="utf-8") as f:
                    f.write(content)
                outdir = os.path.join(self.tmp, f"bad-{name}")
                result = render(source, outdir)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
                self.assertFalse(os.path.exists(os.path.join(outdir, "index.html")))
        missing = render(os.path.join(self.tmp, "no-such.json"), os.path.join(self.tmp, "bad-missing"))
        self.assertEqual(missing.returncode, 2, missing.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
