"""The report's figures as inline SVG: per-boot distributions of every metric, locality over time.

matplotlib draws without pyplot (no global figure state); text stays text in the SVG
(svg.fonttype "none"), which keeps the page small, and names from the document are never read as
mathtext. Each figure gets its own hash salt so the ids matplotlib generates are unique on the page
and the same on every render.
"""

import io
import math
import re
import warnings

import matplotlib

matplotlib.use("svg")
from matplotlib.figure import Figure  # noqa: E402  (after the backend is chosen)
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from .document import finite  # noqa: E402
from .text import esc  # noqa: E402

COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf"]
LOCALITY_SERIES = "locality_pct"
_COLUMNS = 5
_BOX_FROM = 5  # boots per kernel from which a box is drawn behind the dots
_RC = {"svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"],
       "text.parse_math": False, "font.size": 8, "axes.titlesize": 8, "axes.labelsize": 7.5,
       "xtick.labelsize": 7, "ytick.labelsize": 7, "legend.fontsize": 8,
       "axes.spines.top": False, "axes.spines.right": False}


def kernel_colour(index):
    return COLOURS[index % len(COLOURS)]


def kernel_names(doc):
    """One label per kernel of the document, in its order (the baseline first). A kernel named
    twice (an A/A comparison) gets "NAME#2" the second time, as the JUnit and KCIDB files name it."""
    names = []
    for k in doc["kernels"]:
        name, n = k["name"], 2
        label = name
        while label in names:
            label, n = f"{name}#{n}", n + 1
        names.append(label)
    for run in doc["runs"]:
        if "kernel_index" not in run and run["kernel"] not in names:
            names.append(run["kernel"])
    return names


def run_kernel(doc, run):
    """The label of the kernel a run booted: by its kernel_index when the document has one."""
    index = run.get("kernel_index")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(doc["kernels"]):
        return kernel_names(doc)[index]
    return run["kernel"]


def _label(text, limit=40):
    """A name from the document as matplotlib text: bounded, and never a hidden '_' legend label."""
    text = text if len(text) <= limit else text[:limit - 1] + "\u2026"
    return "\u200b" + text if text.startswith("_") else text


def _done_runs(doc):
    return [run for run in doc["runs"] if run["summary"] is not None]


def boot_values(doc):
    """{workload: {metric: {"unit": u, "values": {kernel: [finite values, one per boot]}}}}.

    Ordered as the comparisons list the metrics, then anything only the runs have; only metrics
    with at least one finite value anywhere.
    """
    order = [(m["workload"], m["name"]) for c in doc["comparisons"] for m in c["metrics"]]
    found = {}
    for run in _done_runs(doc):
        for w in run["summary"]["workloads"]:
            for name, m in w["metrics"].items():
                v = finite(m["value"])
                if v is None:
                    continue
                entry = found.setdefault((w["name"], name), {"unit": m["unit"], "values": {}})
                entry["values"].setdefault(run_kernel(doc, run), []).append(v)
                order.append((w["name"], name))
    out = {}
    for key in order:
        if key in found and key[1] not in out.get(key[0], {}):
            out.setdefault(key[0], {})[key[1]] = found[key]
    return out


def _mean(values, unit):
    """The mean the tables use: harmonic for rates (unit ending in /s) when every value is > 0."""
    if unit.endswith("/s") and all(v > 0 for v in values):
        return len(values) / sum(1 / v for v in values)
    return sum(values) / len(values)


def _strip(ax, title, unit, per_kernel, kernels):
    for i, kernel in enumerate(kernels):
        values = per_kernel.get(kernel, [])
        if not values:
            continue
        colour = kernel_colour(i)
        if len(values) >= _BOX_FROM:
            ax.boxplot([values], positions=[i], widths=0.5, showfliers=False, manage_ticks=False,
                       boxprops={"color": "#999999"}, whiskerprops={"color": "#999999"},
                       capprops={"color": "#999999"}, medianprops={"color": "#999999"})
        n = len(values)
        xs = [i + (0.3 * (j / (n - 1) - 0.5) if n > 1 else 0) for j in range(n)]
        ax.hlines(_mean(values, unit), i - 0.3, i + 0.3, colors="black", linewidths=1.2, zorder=3)
        ax.scatter(xs, values, s=14, color=colour, alpha=0.85, linewidths=0, zorder=4)
    ax.set_xlim(-0.6, len(kernels) - 0.4)
    ax.set_xticks(range(len(kernels)))
    ax.set_xticklabels([])
    ax.tick_params(axis="x", length=0)
    ax.yaxis.set_major_locator(MaxNLocator(4))
    ax.set_title(_label(title, 30))
    if unit:
        ax.set_ylabel(_label(unit, 16))


def _legend_handles(kernels):
    return [Line2D([], [], marker="o", linestyle="", color=kernel_colour(i), label=_label(k))
            for i, k in enumerate(kernels)]


def distribution_svg(workload, metrics, kernels, salt):
    """One figure: a strip plot (every boot a dot, the mean a black bar) per metric of `workload`."""
    with matplotlib.rc_context(_RC):
        columns = min(_COLUMNS, len(metrics))
        rows = math.ceil(len(metrics) / columns)
        height = 1.5 * rows + 0.35
        fig = Figure(figsize=(2.0 * columns, height), layout="constrained")
        fig.get_layout_engine().set(rect=(0, 0, 1, 1 - 0.3 / height))  # room for the legend on top
        axes = fig.subplots(rows, columns, squeeze=False)
        for ax, (name, m) in zip(axes.flat, metrics.items()):
            _strip(ax, name, m["unit"], m["values"], kernels)
        for ax in list(axes.flat)[len(metrics):]:
            ax.set_visible(False)
        fig.legend(handles=_legend_handles(kernels), loc="upper center", ncols=min(len(kernels), 5),
                   frameon=False, borderaxespad=0.2)
        return svg_of(fig, salt, f"{workload}: per-boot values of each metric, by kernel")


def locality_runs(doc):
    """{workload: [(kernel, [(t_s, pct), …]), …]} for every run that sent a locality series."""
    out = {}
    for run in _done_runs(doc):
        for w in run["summary"]["workloads"]:
            points = w.get("series", {}).get(LOCALITY_SERIES)
            if points:
                out.setdefault(w["name"], []).append((run_kernel(doc, run), points))
    return out


def locality_svg(workload, runs, kernels, salt):
    """One figure: the locality of `workload` over time, a line per run, coloured by kernel."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(8, 2.8), layout="constrained")
        ax = fig.subplots()
        labelled = set()
        for kernel, points in runs:
            pts = [(finite(t), finite(v)) for t, v in points]
            pts = [(t, v) for t, v in pts if t is not None and v is not None]
            index = kernels.index(kernel) if kernel in kernels else len(kernels)
            label = _label(kernel) if kernel not in labelled else None
            labelled.add(kernel)
            ax.plot([t for t, _ in pts], [v for _, v in pts], color=kernel_colour(index), linewidth=1.2,
                    alpha=0.85, label=label)
        ax.axhline(90, color="#999999", linewidth=0.8, linestyle=":")
        ax.set_ylim(0, 102)
        ax.set_xlim(left=0)
        ax.set_xlabel("seconds since the workload started")
        ax.set_ylabel("memory on the threads' node (%)")
        ax.legend(loc="lower right", frameon=False)
        return svg_of(fig, salt, f"{workload}: locality over time, one line per run")


_ID = re.compile(r'\sid="([^"]*)"')
_COORDINATES = re.compile(r'\s(?:d|x|y|x1|x2|y1|y2|width|height|transform)="[^"]*"')
_DECIMALS = re.compile(r"(\d\.\d{2})\d+")  # coordinates in pt: a hundredth is plenty
_EMPTY_GROUP = re.compile(r"<g>\s*(?:<g/>\s*)*</g>\s*|<g/>\s*")


def svg_of(fig, salt, label):
    """`fig` as an <svg> element to inline in HTML (no XML prologue, no metadata, no unused ids)."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt}), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. a glyph missing from the font for a name from a guest
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    referenced = set(re.findall(r'#([A-Za-z_][\w.-]*)', text))
    text = _ID.sub(lambda m: m.group(0) if m.group(1) in referenced else "", text)
    text = _COORDINATES.sub(lambda m: _DECIMALS.sub(r"\1", m.group(0)), text)
    text = _EMPTY_GROUP.sub("", _EMPTY_GROUP.sub("", text))
    text = re.sub(r">\s+<", ">\n<", text)  # no indentation: whitespace between SVG elements means nothing
    return text.replace("<svg ", f'<svg role="img" aria-label="{esc(label)}" ', 1)
