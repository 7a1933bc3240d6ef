"""The whole page: sections in order, the style sheet, one file written atomically."""

import os
import tempfile

from . import plots, sections
from .text import esc

# No script, nothing fetched: the policy makes sure of it even if a string slipped through unescaped.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 1500px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .3em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
h3 { margin: 1em 0 .4em; }
table { border-collapse: collapse; margin: .4em 0 1em; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } tbody tr:nth-child(even) { background: #fafafa; }
table.metrics { width: 100%; font-size: 12.5px; }
div.wide { overflow-x: auto; }
table.metrics td:nth-child(-n+2), table#runs td:nth-child(2) { white-space: nowrap; }
table.metrics td:nth-child(n+4):nth-child(-n+8) { text-align: right; white-space: nowrap; }
table.metrics td:last-child { min-width: 12em; font-size: 12px; }
td.none, .dim { color: #888; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 50%; margin-right: .4em; }
.alert, .warning { color: #a40000; } p.alert, p.warning { font-weight: 600; font-size: 1.1em; }
p.warning { background: #fff4d6; color: #7a5200; padding: .4em .6em; border-left: 4px solid #e0a000; }
p.alert { background: #fde8e8; padding: .4em .6em; border-left: 4px solid #c00000; }
p.alert a { color: inherit; } table.alert th { background: #fde8e8; }
p.ok { color: #1a6b1a; }
.mark { padding: 1px 5px; border-radius: 3px; white-space: nowrap; }
.mark.gain { background: #d9f2d9; color: #145214; font-weight: 600; }
.mark.regression { background: #f9d6d6; color: #8b0000; font-weight: 600; }
.mark.changed { background: #dde8f9; color: #1a3d7a; font-weight: 600; }
.mark.not-significant { color: #666; } .mark.not-compared { color: #999; font-style: italic; }
tr.change-regression { background: #fff0f0 !important; } tr.change-gain { background: #f0fff0 !important; }
.verdict.pass { color: #1a6b1a; }
.verdict.fail, .verdict.crash, .verdict.hang, .verdict.error { color: #a40000; font-weight: 600; }
p.sign { background: #f4f4f4; padding: .4em .6em; }
figure.plot { margin: 1em 0; } figure.plot svg { max-width: 100%; height: auto; }
figcaption { font-weight: 600; margin-bottom: .2em; }
"""


def render(doc):
    """The page's HTML text for a validated document."""
    kernels = plots.kernel_names(doc)
    values = plots.boot_values(doc)
    distributions = [(w, plots.distribution_svg(w, metrics, kernels, f"numalab-d{i}"))
                     for i, (w, metrics) in enumerate(values.items())]
    localities = [(w, plots.locality_svg(w, runs, kernels, f"numalab-l{i}"))
                  for i, (w, runs) in enumerate(plots.locality_runs(doc).items())]
    used_ids = set()
    body = [sections.header(doc, kernels, plots.COLOURS), sections.method(doc), sections.problems(doc),
            *(sections.comparison(c, used_ids) for c in doc["comparisons"]), sections.aa_noise(doc),
            sections.plots(distributions, localities), sections.run_list(doc)]
    title = f'numalab compare {esc(doc["compare_id"])} ({esc(doc["lab"])})'
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(p for p in body if p) + "\n</body>\n</html>\n")


def write(outdir, page):
    """Writes `outdir`/index.html (created if needed), replacing any earlier one in one step."""
    os.makedirs(outdir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".index.", suffix=".html", dir=outdir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, os.path.join(outdir, "index.html"))
    except BaseException:
        os.unlink(tmp)
        raise
    return os.path.join(outdir, "index.html")
