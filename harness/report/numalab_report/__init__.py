"""Renders a numalab compare document (harness/report/README.md) into one self-contained HTML page."""
