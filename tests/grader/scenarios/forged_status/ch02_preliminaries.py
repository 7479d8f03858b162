"""A forged reply: normalize_rows writes an "internal" status into the grader's channel itself.

That exercise errors as the student's doing (not as a grader bug), and the chapter's other
exercises get a fresh child rather than the real reply still waiting in the pipe.
"""
import json
import os
import struct
import sys

import solved_ch02_preliminaries
from solved_ch02_preliminaries import *  # noqa: F401,F403


def normalize_rows(X):
    reply_fd = int(sys.argv[sys.argv.index("--reply-fd") + 1])
    forged = json.dumps({"kind": "reply", "status": "internal", "message": "a grader bug!"}).encode()
    os.write(reply_fd, struct.pack(">I", len(forged)) + forged)
    return solved_ch02_preliminaries.normalize_rows(X)
