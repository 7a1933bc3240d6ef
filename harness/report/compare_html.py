#!/usr/bin/python3
"""Renders a `numalab compare` document into OUTDIR/index.html, one self-contained page.

    compare_html.py COMPARE.json OUTDIR

The page has the statistics tables and the plots inline (SVG), no script and nothing fetched: it
opens from disk. Exit status 0 on success, 2 when the document is malformed (one line on stderr
says where), 3 when OUTDIR cannot be written. The format is in README.md beside this file.
"""

import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from numalab_report.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
