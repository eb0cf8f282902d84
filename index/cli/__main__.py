"""``python -m index.cli``: the ``sourcedesk`` command."""
import sys

from index.cli.commands import main

sys.exit(main())
