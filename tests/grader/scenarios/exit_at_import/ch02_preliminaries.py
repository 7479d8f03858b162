"""sys.exit(0) at import: must not end the grader, nor look like success."""
import sys

from solved_ch02_preliminaries import *  # noqa: F401,F403

sys.exit(0)
