#!/usr/bin/python3
"""The HTML report of `numalab compare`, rendered from a compare document and opened in headless
Chromium: what Chromium built from the page is what a user sees.

Runs without VMs (ctest label unit). Chromium is required: without it the test fails, it never
skips. Standard library only; the renderer itself runs under Debian's python3 with matplotlib.
"""

import copy
import json
import os
import shutil
import sys
import tempfile
import unittest

from compare_html_support import (  # beside this file, on sys.path when run as a script
    parse_dom,
    png_pixels,
    render,
    run_chromium,
    evil_variant,
    as_version_2,
    as_version_3,
    SHARED,
    write_json,
    FIXTURE,
    EVIL_KERNEL,
    EVIL_DETAIL,
)


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

    def test_version_3_says_which_workloads_shared_a_boot(self):
        dom, _ = self.rendered(as_version_3(self.doc), "v3")
        text = " ".join(dom.find(id="shared-boots").text().split())
        self.assertIn("numa02 ran after cpuset-rebind in the same boot (machine guest)", text)
        alone, _ = self.rendered(as_version_3(self.doc, shared=()), "v3-alone")
        self.assertIsNone(alone.find(id="shared-boots"), "no workload shared a boot: nothing to say")
        self.assertIsNone(self.fixture_dom().find(id="shared-boots"), "a version 1 document has none")

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
            "v3-without-shared-boots": json.dumps({k: v for k, v in as_version_3(self.doc).items()
                                                    if k != "shared_boots"}),
            "v3-shared-boot-without-text": json.dumps(as_version_3(self.doc, shared=(
                {k: v for k, v in SHARED.items() if k != "text"},))),
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
