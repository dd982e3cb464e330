import sys

from proxyshop_desktop.cli import main

sys.exit(main())
