"""``python -m catalog``: the command line."""

import sys

from catalog.cli import main

sys.exit(main())
