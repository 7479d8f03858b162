"""``python -m grader.sandbox``: the sandbox child (see grader.sandbox.child)."""
import sys

from grader.sandbox.child import child_main

if __name__ == "__main__":
    sys.exit(child_main())
