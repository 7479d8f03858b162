"""``python -m grader.sandbox``: the sandbox child (see grader.sandbox.child)."""
import sys

from grader.sandbox.child import child_main

sys.exit(child_main())
