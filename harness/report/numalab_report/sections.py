"""The report's sections as HTML text. Every string from the document goes through esc()."""

from . import text as t
from .text import esc

MARKS = ("gain", "regression", "changed", "not significant", "not compared")


def _table(table_id, headers, rows, cls=""):
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "\n".join(rows) if rows else f'<tr><td colspan="{len(headers)}" class="none">none</td></tr>'
    cls = f' class="{cls}"' if cls else ""
    return (f'<div class="wide"><table id="{table_id}"{cls}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n'
            "</tbody>\n</table></div>")


def _row(cells, cls=""):
    cls = f' class="{cls}"' if cls else ""
    return f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _swatch(index, colours):
    return f'<span class="swatch" style="background:{colours[index % len(colours)]}"></span>'


def header(doc, kernel_names, colours):
    runs = doc["runs"]
    done = sum(1 for r in runs if r["summary"] is not None)
    facts = [("lab", f'{esc(doc["lab"])} <span class="dim">({esc(doc["lab_file"])})</span>'),
             ("compare id", esc(doc["compare_id"])), ("started", esc(doc["started_at"])),
             ("duration", t.duration(doc["duration_s"])), ("accel", esc(doc["accel"])),
             ("repetitions", f'{doc["repeat"]} per kernel, {len(runs)} runs')]
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    rows = []
    for i, k in enumerate(doc["kernels"]):
        index = i
        role = "baseline" if i == 0 else "other"
        config = ", ".join(esc(c) for c in k["config"] if isinstance(c, str)) or "–"
        rows.append(_row([f'{_swatch(index, colours)}{esc(k["name"])}', role, esc(k["release"]) or "–",
                          t.short_hash(k["cache_key"], 24), esc(k["base"]) or "–", esc(k["series"]) or "–",
                          t.short_hash(k["series_hash"]), config, t.short_hash(k["sha256"])]))
    kernels = _table("kernels", ["kernel", "role", "release", "cache key", "base", "series", "series hash",
                                 "config", "image sha256"], rows)
    warning = _banner(doc)
    if not doc["complete"]:
        warning += (f'<p id="incomplete" class="warning">complete: no ({done} of {len(runs)} runs). '
                   "The statistics cover the runs that finished; resume the compare to run the rest.</p>")
    return (f'<header>\n<h1>numalab compare {esc(doc["compare_id"])}: '
            f'{" vs ".join(esc(n) for n in kernel_names)}</h1>\n{warning}\n<dl class="facts">{dl}</dl>\n'
            f"{kernels}\n</header>")


def _banner(doc):
    """One line at the top when something failed or regressed, linking to the details."""
    counts = [(len(doc["failures"]), "functional failure"), (len(doc["regressions"]), "significant regression")]
    said = [f'{n} {what}{"s" if n != 1 else ""}' for n, what in counts if n]
    return f'<p id="banner" class="alert"><a href="#problems">{", ".join(said)}</a></p>' if said else ""


def method(doc):
    o = doc["options"]
    level = t.number(100 * o["level"], 3)
    q = t.number(o["fdr_q"], 3)
    if o["method"] == "auto":
        how = ("Welch's t test with Fieller's interval of the ratio below 50 boots per kernel, a bootstrap over "
               f"boots ({o['bootstrap_resamples']} resamples) from 50 boots per kernel")
    else:
        how = f"{esc(o['method'])} for every metric, as asked"
    return (
        '<section id="method">\n<h2>Method</h2>\n'
        "<p>Every repetition is a fresh boot; each metric gives one value per boot. Per kernel the table shows "
        "the mean (the harmonic mean for rates, units ending in /s), the standard deviation and the "
        "coefficient of variation over the boots. The change is the ratio <i>other / baseline</i> of the means "
        f"with its {level} % confidence interval: {how}; the method of each metric is in the table "
        "(hover it for the reason). A change is marked significant only when its interval excludes 1 "
        f"<em>and</em> it survives the Benjamini\u2013Hochberg correction at q = {q} over the metrics of each "
        f"comparison.</p>\n{_shared_boots(doc)}{_blocking(o)}"
        '<p class="sign"><strong>Sign convention: + means better</strong>, by the metric\'s declared direction '
        "(lower is better: + is a lower mean; higher is better: + is a higher mean); for metrics without a "
        "direction the percentage is the plain change and a significant one is marked <i>changed</i>. The "
        "geometric mean of a workload's ratios is oriented the same way: above 1 is better.</p>\n</section>")


def _shared_boots(doc):
    """The workloads that ran after others in the same boot (version 3 documents)."""
    shared = doc.get("shared_boots") or []
    if not shared:
        return ""
    items = "".join(f"<li>{esc(s['text'])}</li>" for s in shared)
    return ('<div id="shared-boots"><p>The workloads of a machine run one after another in its boot. The agent '
            "puts back what each changed in the guest (sysctls, cgroups, its own cpuset, affinity and memory "
            "policy, child processes) but not the time since boot or where memory lies, so these may carry "
            f"something of the workloads before them:</p>\n<ul>{items}</ul></div>\n")


def _blocking(o):
    """What the verdicts came from, and what the noise columns mean (version 2 documents)."""
    if "blocking_used" not in o:
        return ""
    if o["blocking_used"] == "slot":
        how = ("<strong>Blocked by slot</strong>: the runs of each repetition (a slot) ran side by side, so the "
               "verdicts come from the ratios within each slot: the paired t test on their logarithms, the ratio "
               "their geometric mean (method <i>paired</i>); whatever the host did to a slot cancels.")
    else:
        why = "as asked" if o["blocking"] == "none" else "the runs of a slot did not run side by side"
        how = f"Not blocked by slot ({why}): each kernel's boots are one independent sample."
    goal = o["power_goal"]
    return (f'<p id="blocking">{how} The noise columns give the coefficient of variation of the ratio of two '
            "boots, unblocked (about \u221a(cv<sub>b</sub>\u00b2 + cv<sub>o</sub>\u00b2)) / blocked (two boots "
            f"in one slot), and the boots per kernel a {t.number(100 * goal['change'], 3)} % change needs at "
            f"{t.number(100 * goal['power'], 3)} % power (two-sided \u03b1 = {t.number(goal['alpha'], 3)}), "
            "unblocked / blocked.</p>\n")


def problems(doc):
    failures, regressions = doc["failures"], doc["regressions"]
    parts = ['<section id="problems">\n<h2>Failures and regressions</h2>']
    if not failures and not regressions:
        parts.append('<p class="ok">No functional failure, no significant regression.</p>')
    if failures:
        rows = [_row([esc(f["kernel"]), esc(f["workload"]) or "(the whole run)", f["repetition"],
                      esc(f["run_id"]), f'<span class="verdict {esc(f["verdict"])}">{esc(f["verdict"])}</span>',
                      esc(f["detail"])]) for f in failures]
        parts.append(f'<h3 class="alert">{len(failures)} functional failure{"s" if len(failures) != 1 else ""}</h3>')
        parts.append(_table("failures", ["kernel", "workload", "repetition", "run", "verdict", "detail"], rows,
                            "alert"))
    if regressions:
        rows = [_row([esc(r["kernel"]), esc(r["workload"]), esc(r["metric"]), esc(r["unit"]),
                      t.signed_percent(r["percent_better"]),
                      f'{t.number(r["ratio"])} {t.interval(r["ratio_interval"])}', t.p_value(r["p_value"])])
                for r in regressions]
        parts.append(f'<h3 class="alert">{len(regressions)} significant regression'
                     f'{"s" if len(regressions) != 1 else ""}</h3>')
        parts.append(_table("regressions", ["kernel", "workload", "metric", "unit", "change (+ better)",
                                            f'ratio [{t.number(100 * doc["options"]["level"], 3)} % interval]', "p"],
                            rows, "alert"))
    parts.append("</section>")
    return "\n".join(parts)


def _sample(s):
    """mean ± sd (cv), or why there is none."""
    if s["absent"] or s["mean"] is None:
        return '<span class="dim">absent</span>'
    text = t.number(s["mean"])
    if s["mean_kind"] == "harmonic":
        text += '<sup><abbr title="harmonic mean">h</abbr></sup>'
    if s["stddev"] is not None:
        text += f' ± {t.number(s["stddev"], 2)}'
    if s["cv"] is not None:
        text += f' <span class="dim">({t.share(s["cv"])})</span>'
    if s["nan_count"]:
        text += f' <span class="dim">n={s["n"]}</span>'
    return text


def _method(m):
    name = m["method"] or ("exact" if m["ratio_interval"] else "–")
    return f'<span title="{esc(m["method_reason"])}">{esc(name)}</span>'


def _mark(change):
    cls = change.replace(" ", "-") if change in MARKS else "unknown"
    return f'<span class="mark {cls}">{esc(change)}</span>'


def _count(n):
    return "–" if n is None else str(n)


def _noise(m):
    """The ratio's CV and the boots needed, each unblocked / blocked; "–" in a version 1 document."""
    n = m.get("noise")
    if n is None:
        return ["–", "–"]
    return [f'{t.share(n["ratio_cv"])} / {t.share(n["blocked_ratio_cv"])}',
            f'{_count(n["boots_needed"])} / {_count(n["boots_needed_blocked"])}']


def _metric_row(m):
    ratio = t.number(m["ratio"])
    if m["ratio_interval"]:
        ratio += f' <span class="dim">{t.interval(m["ratio_interval"])}</span>'
    cls = "change-" + (m["change"].replace(" ", "-") if m["change"] in MARKS else "unknown")
    return _row([esc(m["workload"]), esc(m["name"]), esc(m["unit"]), _sample(m["baseline"]), _sample(m["other"]),
                 t.signed_percent(m["percent_better"]), ratio, t.p_value(m["p_value"]), _method(m),
                 _mark(m["change"]), *_noise(m), esc(m["note"])], cls)


def _unique(name, used_ids):
    """slug(name), made unique among `used_ids` (two names may slug alike: "a/b", "a#b")."""
    base = candidate = t.slug(name)
    n = 1
    while candidate in used_ids:
        n += 1
        candidate = f"{base}-{n}"
    used_ids.add(candidate)
    return candidate


def comparison(c, used_ids):
    """One comparison's section; `used_ids` keeps the ids unique on the page."""
    other = _unique(c["other"], used_ids)
    title = f'{esc(c["baseline"])} vs {esc(c["other"])}' + (" (A/A: the same kernel on both sides)" if c["aa"] else "")
    wrows = [_row([esc(w["workload"]), t.number(w["geomean_ratio"]), w["metrics_counted"], w["metrics_left_out"],
                   w["gains"], w["regressions"], w["changed"]]) for w in c["workloads"]]
    workloads = _table(f"workloads-{other}", ["workload", "geometric mean of ratios (> 1 better)", "metrics counted",
                                              "left out", "gains", "regressions", "changed"], wrows, "summary")
    headers = ["workload", "metric", "unit", f'{esc(c["baseline"])} mean ± sd (cv)',
               f'{esc(c["other"])} mean ± sd (cv)', "change (+ better)", "ratio [interval]", "p", "method", "mark",
               "ratio cv (unblocked / blocked)", "boots needed (unblocked / blocked)", "note"]
    metrics = _table(f"metrics-{other}", headers, [_metric_row(m) for m in c["metrics"]], "metrics")
    return (f'<section class="comparison" id="comparison-{other}" data-kernel="{esc(c["other"])}">\n'
            f"<h2>{title}</h2>\n<h3>Per workload</h3>\n{workloads}\n<h3>Per metric</h3>\n{metrics}\n</section>")


def aa_noise(doc):
    n = doc["aa_noise"]
    if n is None:
        return ""
    rows = [_row(["metrics tested", n["tested"]]),
            _row(["intervals excluding 1, before the correction (raw share)",
                  f'{n["interval_excludes_one"]} ({t.share(n["raw_share"])})']),
            _row(["flagged significant after the correction (flagged share)",
                  f'{n["flagged"]} ({t.share(n["flagged_share"])})']),
            _row(["nominal false-positive rate q", t.share(n["nominal"])])]
    return ('<section id="aa-noise">\n<h2>A/A noise</h2>\n'
            "<p>A kernel compared with itself, on fresh boots: nothing changed, so every metric flagged is a false "
            "alarm. The flagged share should stay at or below the nominal q and the raw share near 5 % (for 95 % "
            "intervals); much more means the boots are not independent or this machine is too noisy for the "
            "method, and the other comparisons' marks deserve less trust.</p>\n"
            + _table("aa", ["", ""], rows) + "\n</section>")


def plots(distribution_figures, locality_figures):
    parts = ['<section id="plots">\n<h2>Per-boot values</h2>',
             "<p>Every boot is a dot, the black bar the kernel's mean (harmonic for rates); a box is drawn from "
             "5 boots per kernel. Metrics absent everywhere are left out.</p>"]
    used_ids = set()
    for workload, svg in distribution_figures:
        parts.append(f'<figure class="plot distribution" id="distribution-{_unique(workload, used_ids)}">\n'
                     f"<figcaption>{esc(workload)}</figcaption>\n{svg}\n</figure>")
    if locality_figures:
        parts.append('<h2 id="locality">Locality over time</h2>\n<p>The share of the memory the threads write '
                     "that is on their own node, sampled once a second, one line per run; the dotted line is the "
                     "90 % goal.</p>")
    used_ids = set()
    for workload, svg in locality_figures:
        parts.append(f'<figure class="plot locality" id="locality-{_unique(workload, used_ids)}">\n'
                     f"<figcaption>{esc(workload)}</figcaption>\n{svg}\n</figure>")
    parts.append("</section>")
    return "\n".join(parts)


def run_list(doc):
    rows = []
    for r in doc["runs"]:
        s = r["summary"]
        if s is None:
            rows.append(_row([r["seq"], esc(r["kernel"]), r["repetition"], "–", '<span class="dim">not run</span>',
                              "–", ""], "not-run"))
            continue
        verdict = f'<span class="verdict {esc(s["verdict"])}">{esc(s["verdict"])}</span>'
        rows.append(_row([r["seq"], esc(r["kernel"]), r["repetition"], esc(s["run_id"]), verdict,
                          t.duration(s["duration_s"]), esc(s.get("reason", ""))]))
    return ('<section id="run-list">\n<h2>Runs, in the order they ran</h2>\n'
            + _table("runs", ["seq", "kernel", "repetition", "run", "verdict", "duration", "reason"], rows)
            + "\n</section>")
