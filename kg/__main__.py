"""``python -m kg`` runs the vetkg command line."""

import sys

from kg.cli import main

sys.exit(main())
