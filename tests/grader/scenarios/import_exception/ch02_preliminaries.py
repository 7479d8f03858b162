"""An exception while the module is imported."""
from solved_ch02_preliminaries import *  # noqa: F401,F403

if True:
    raise ValueError("boom at import")
