"""Imported at start-up of benchmark children (via PYTHONPATH): at exit, write the names of any
Qt modules the process imported to the file named by BENCH_QT_REPORT, so the benchmark can prove
a headless command never imported Qt while timing the real console script unchanged."""

import atexit
import json
import os
import sys


def _report() -> None:
    path = os.environ.get("BENCH_QT_REPORT")
    if path:
        qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
        with open(path, "w") as fh:
            json.dump(qt, fh)


atexit.register(_report)
