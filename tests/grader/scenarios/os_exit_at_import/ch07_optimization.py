"""os._exit(0) at import: the child dies before it can answer anything."""
import os

from solved_ch07_optimization import *  # noqa: F401,F403

os._exit(0)
