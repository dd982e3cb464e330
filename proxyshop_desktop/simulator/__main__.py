"""``python -m proxyshop_desktop.simulator --port P --proxies N``: run the demo provider."""

from __future__ import annotations

import argparse
import sys

from .demo import run_demo_provider
from .provider import DEMO_TOKEN


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m proxyshop_desktop.simulator",
        description="Run the simulated upstream provider on 127.0.0.1 (offline demo, tests).",
    )
    parser.add_argument("--port", type=int, default=8765, help="TCP port (0: any free port)")
    parser.add_argument("--proxies", type=int, default=3000, help="catalogue size")
    parser.add_argument("--token", default=DEMO_TOKEN, help="API key the provider accepts")
    parser.add_argument("--seed", type=int, default=7, help="catalogue seed")
    args = parser.parse_args(argv)
    try:
        run_demo_provider(port=args.port, proxies=args.proxies, token=args.token, seed=args.seed)
    except OSError as exc:
        print(f"cannot start the simulated provider on port {args.port}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
