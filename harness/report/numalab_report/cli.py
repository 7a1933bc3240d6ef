"""compare_html.py COMPARE.json OUTDIR: the exit statuses and messages."""

import sys

from . import document

USAGE = "usage: compare_html.py COMPARE.json OUTDIR"


def one_line(message, limit=400):
    """A message that quotes names from the document, as one bounded line."""
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit - 1] + "\u2026"


def main(argv):
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    if len(argv) != 2:
        print(USAGE, file=sys.stderr)
        return 2
    source, outdir = argv
    try:
        doc = document.load(source)
    except document.DocumentError as e:
        print(f"compare_html.py: {source}: {one_line(str(e))}", file=sys.stderr)
        return 2
    from . import page  # matplotlib loads only for a document worth drawing

    try:
        path = page.write(outdir, page.render(doc))
    except OSError as e:
        print(f"compare_html.py: {outdir}: cannot write the report: {e.strerror or e}", file=sys.stderr)
        return 3
    print(path)
    return 0
