"""``python -m digitize``: the same as the ``digitize`` command."""

import sys

from digitize.cli import program

sys.exit(program())
