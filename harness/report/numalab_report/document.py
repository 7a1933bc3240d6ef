"""Reading and checking a compare document ("numalab-compare", versions 1 to 3).

The document comes from labs and guests: every member this renderer reads is checked for presence
and type first, so a malformed document is one clear message, never a traceback halfway through.
"""

import json
import math

FORMAT = "numalab-compare"
# 2 added blocking by slot and each metric's noise, 3 the workloads that shared a boot; an older
# document has none of what came later.
VERSIONS = (1, 2, 3)


class DocumentError(Exception):
    """The document cannot be rendered; the message says where and why, in one line."""


STR, BOOL, INT, NUM, OBJ, LIST, NULL = "string", "boolean", "integer", "number", "object", "array", "null"

_TYPES = {
    STR: lambda v: isinstance(v, str),
    BOOL: lambda v: isinstance(v, bool),
    INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
    NUM: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    OBJ: lambda v: isinstance(v, dict),
    LIST: lambda v: isinstance(v, list),
    NULL: lambda v: v is None,
}

# The members read from each kind of object, with their allowed types.
TOP = {"compare_id": STR, "lab": STR, "lab_file": STR, "started_at": STR, "duration_s": NUM,
       "repeat": INT, "accel": STR, "complete": BOOL, "options": OBJ, "kernels": LIST,
       "machines": LIST, "runs": LIST, "comparisons": LIST, "aa_noise": (OBJ, NULL),
       "failures": LIST, "regressions": LIST}
OPTIONS = {"level": NUM, "fdr_q": NUM, "method": STR, "bootstrap_resamples": INT}
KERNEL = {"name": STR, "release": STR, "sha256": STR, "cache_key": STR, "base": STR, "series": STR,
          "series_hash": STR, "config": LIST}
RUN = {"seq": INT, "kernel": STR, "repetition": INT, "summary": (OBJ, NULL)}
SUMMARY = {"run_id": STR, "verdict": STR, "duration_s": NUM, "workloads": LIST}
WORKLOAD = {"name": STR, "verdict": STR, "metrics": OBJ}
METRIC_VALUE = {"value": (NUM, NULL), "unit": STR}
COMPARISON = {"baseline": STR, "other": STR, "aa": BOOL, "fdr_q": NUM, "metrics": LIST, "workloads": LIST}
SAMPLE = {"n": INT, "nan_count": INT, "absent": BOOL, "mean_kind": STR, "mean": (NUM, NULL),
          "stddev": (NUM, NULL), "cv": (NUM, NULL)}
INTERVAL = {"low": (NUM, NULL), "high": (NUM, NULL)}
METRIC = {"workload": STR, "name": STR, "unit": STR, "better": STR, "mean_kind": STR, "baseline": OBJ,
          "other": OBJ, "ratio": (NUM, NULL), "percent_better": (NUM, NULL), "method": (STR, NULL),
          "method_reason": STR, "ratio_interval": (OBJ, NULL), "p_value": (NUM, NULL),
          "significant": BOOL, "change": STR, "note": STR}
WORKLOAD_SUMMARY = {"workload": STR, "geomean_ratio": (NUM, NULL), "metrics_counted": INT,
                    "metrics_left_out": INT, "gains": INT, "regressions": INT, "changed": INT}
# Version 2.
OPTIONS_V2 = {"blocking": STR, "side_by_side": BOOL, "blocking_used": STR, "power_goal": OBJ}
POWER_GOAL = {"change": NUM, "power": NUM, "alpha": NUM}
COMPARISON_V2 = {"blocking": STR}
METRIC_V2 = {"blocking": STR, "unblocked": OBJ, "blocked": (OBJ, NULL), "noise": OBJ}
ESTIMATE = {"ratio": (NUM, NULL), "method": (STR, NULL), "method_reason": STR, "ratio_interval": (OBJ, NULL),
            "p_value": (NUM, NULL)}
# Version 3.
TOP_V3 = {"shared_boots": LIST}
SHARED_BOOT = {"machine": STR, "workload": STR, "after": LIST, "text": STR}
BLOCKED = {"slots": INT, "slots_left_out": INT, "ratio": (NUM, NULL), "ratio_interval": (OBJ, NULL),
           "p_value": (NUM, NULL), "log_sd": (NUM, NULL), "ratio_cv": (NUM, NULL)}
NOISE = {"baseline_cv": (NUM, NULL), "other_cv": (NUM, NULL), "ratio_cv": (NUM, NULL),
         "blocked_ratio_cv": (NUM, NULL), "boots_needed": (INT, NULL), "boots_needed_blocked": (INT, NULL)}
AA_NOISE = {"tested": INT, "interval_excludes_one": INT, "flagged": INT, "raw_share": (NUM, NULL),
            "flagged_share": (NUM, NULL), "nominal": NUM}
FAILURE = {"kernel": STR, "workload": STR, "machine": STR, "repetition": INT, "run_id": STR,
           "verdict": STR, "detail": STR}
REGRESSION = {"kernel": STR, "workload": STR, "metric": STR, "unit": STR, "percent_better": (NUM, NULL),
              "ratio": (NUM, NULL), "ratio_interval": (OBJ, NULL), "p_value": (NUM, NULL)}


def _check(obj, members, where):
    if not isinstance(obj, dict):
        raise DocumentError(f"{where}: expected an object")
    for name, allowed in members.items():
        if name not in obj:
            raise DocumentError(f"{where}: missing member \"{name}\"")
        allowed = allowed if isinstance(allowed, tuple) else (allowed,)
        if not any(_TYPES[t](obj[name]) for t in allowed):
            member = name if where == "document" else f"{where}.{name}"
            raise DocumentError(f"{member}: expected {' or '.join(allowed)}")


def _each(items, members, where):
    for i, item in enumerate(items):
        _check(item, members, f"{where}[{i}]")


def _check_series(series, where):
    if not isinstance(series, dict):
        raise DocumentError(f"{where}: expected an object")
    for name, points in series.items():
        if not isinstance(points, list) or not all(
                isinstance(p, list) and len(p) == 2 and all(_TYPES[NUM](x) for x in p) for p in points):
            raise DocumentError(f"{where}.{name}: expected an array of [t_s, value] pairs")


def _check_run(run, where):
    summary = run["summary"]
    if summary is None:
        return
    _check(summary, SUMMARY, f"{where}.summary")
    for i, w in enumerate(summary["workloads"]):
        wwhere = f"{where}.summary.workloads[{i}]"
        _check(w, WORKLOAD, wwhere)
        for name, m in w["metrics"].items():
            _check(m, METRIC_VALUE, f"{wwhere}.metrics.{name}")
        _check_series(w.get("series", {}), f"{wwhere}.series")


def _check_interval_of(obj, where):
    if obj["ratio_interval"] is not None:
        _check(obj["ratio_interval"], INTERVAL, f"{where}.ratio_interval")


def _check_metric_v2(m, where):
    _check(m, METRIC_V2, where)
    _check(m["unblocked"], ESTIMATE, f"{where}.unblocked")
    _check_interval_of(m["unblocked"], f"{where}.unblocked")
    if m["blocked"] is not None:
        _check(m["blocked"], BLOCKED, f"{where}.blocked")
        _check_interval_of(m["blocked"], f"{where}.blocked")
    _check(m["noise"], NOISE, f"{where}.noise")


def _check_comparison(c, where, version):
    _check(c, COMPARISON, where)
    if version >= 2:
        _check(c, COMPARISON_V2, where)
    for i, m in enumerate(c["metrics"]):
        mwhere = f"{where}.metrics[{i}]"
        _check(m, METRIC, mwhere)
        _check(m["baseline"], SAMPLE, f"{mwhere}.baseline")
        _check(m["other"], SAMPLE, f"{mwhere}.other")
        _check_interval_of(m, mwhere)
        if version >= 2:
            _check_metric_v2(m, mwhere)
    _each(c["workloads"], WORKLOAD_SUMMARY, f"{where}.workloads")


def validate(doc):
    """Raises DocumentError unless `doc` is a compare document this renderer can show."""
    if not isinstance(doc, dict):
        raise DocumentError("the document is not a JSON object")
    if doc.get("format") != FORMAT:
        raise DocumentError(f"not a compare document: \"format\" is {json.dumps(doc.get('format'))[:60]}, "
                            f"expected \"{FORMAT}\"")
    if not (_TYPES[INT](doc.get("version")) and doc["version"] in VERSIONS):
        raise DocumentError(f"unsupported version {json.dumps(doc.get('version'))[:30]} of \"{FORMAT}\" "
                            f"(this renderer reads versions {', '.join(str(v) for v in VERSIONS)})")
    version = doc["version"]
    _check(doc, TOP, "document")
    _check(doc["options"], OPTIONS, "options")
    if version >= 2:
        _check(doc["options"], OPTIONS_V2, "options")
        _check(doc["options"]["power_goal"], POWER_GOAL, "options.power_goal")
    if not doc["kernels"]:
        raise DocumentError("kernels: empty, the baseline is missing")
    _each(doc["kernels"], KERNEL, "kernels")
    _each(doc["runs"], RUN, "runs")
    for i, run in enumerate(doc["runs"]):
        _check_run(run, f"runs[{i}]")
    for i, c in enumerate(doc["comparisons"]):
        _check_comparison(c, f"comparisons[{i}]", version)
    if doc["aa_noise"] is not None:
        _check(doc["aa_noise"], AA_NOISE, "aa_noise")
    if version >= 3:
        _check(doc, TOP_V3, "document")
        _each(doc["shared_boots"], SHARED_BOOT, "shared_boots")
    _each(doc["failures"], FAILURE, "failures")
    _each(doc["regressions"], REGRESSION, "regressions")
    for i, r in enumerate(doc["regressions"]):
        if r["ratio_interval"] is not None:
            _check(r["ratio_interval"], INTERVAL, f"regressions[{i}].ratio_interval")


def load(path):
    """The checked document at `path`; DocumentError when it cannot be read or is malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise DocumentError(f"cannot read it: {e.strerror}") from None
    except UnicodeDecodeError:
        raise DocumentError("not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise DocumentError(f"not JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except RecursionError:
        raise DocumentError("not JSON this renderer can read: nested too deeply") from None
    validate(doc)
    return doc


def finite(v):
    """`v` as a float when it is a finite number, else None (null, NaN and infinities are no value)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    v = float(v)
    return v if math.isfinite(v) else None
