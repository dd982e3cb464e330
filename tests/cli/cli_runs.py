"""Running the command line in-process for the tests."""

from __future__ import annotations

import pytest


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from proxyshop_desktop.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
