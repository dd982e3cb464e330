"""Thin launcher: `python main.py [args]` behaves like the `proxyshop-desktop` command."""

import sys

from proxyshop_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
