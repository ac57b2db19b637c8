"""``python -m dashboard.cli``: the same as the `dashboard` command."""

import sys

from dashboard.cli import main

sys.exit(main())
