"""Small text helpers: HTML escaping and the number formats of the report."""

import html
import re

from .document import finite


def esc(value):
    """Any value as HTML text, quotes included (safe in element content and attribute values)."""
    return html.escape("" if value is None else str(value), quote=True)


def slug(name):
    """`name` as an id fragment: letters, digits, '.', '_' and '-' kept, anything else '_'."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) or "_"


def number(v, digits=4):
    """A value with `digits` significant digits (large ones whole, grouped by thin spaces); "–" for none."""
    v = finite(v)
    if v is None:
        return "–"
    if abs(v) >= 10 ** digits:
        return f"{v:,.0f}".replace(",", "\u2009")
    return f"{v:.{digits}g}"


def signed_percent(v):
    """+12.3 % / −4.0 % (a real minus sign); "–" for no value."""
    v = finite(v)
    if v is None:
        return "–"
    text = f"{abs(v):.1f} %"
    return ("+" if v >= 0 else "\u2212") + text


def share(v):
    """A share in [0, 1] as a percentage."""
    v = finite(v)
    return "–" if v is None else f"{100 * v:.1f} %"


def p_value(v):
    v = finite(v)
    if v is None:
        return "–"
    if v == 0:
        return "0"
    if v < 1e-4:
        return "< 0.0001"
    return f"{v:.2g}" if v < 0.01 else f"{v:.3f}".rstrip("0").rstrip(".") if v < 1 else "1"


def interval(iv):
    """"[low, high]", "unbounded" when a bound is missing, "" without an interval."""
    if not iv:
        return ""
    low, high = finite(iv.get("low")), finite(iv.get("high"))
    if low is None or high is None:
        return "unbounded"
    return f"[{number(low)}, {number(high)}]"


def duration(seconds):
    s = finite(seconds)
    if s is None:
        return "–"
    if s < 60:
        return f"{s:.1f} s"
    minutes, rest = divmod(round(s), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def short_hash(h, length=12):
    """The first `length` characters of a hash, the whole of it in a tooltip."""
    if not h:
        return "–"
    return f'<code title="{esc(h)}">{esc(h[:length])}</code>'
