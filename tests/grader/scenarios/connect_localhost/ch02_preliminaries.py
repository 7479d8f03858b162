"""Connect to a listener the test opened on 127.0.0.1: the child has a network of its own, with nothing."""
import json
import os
import socket

from solved_ch02_preliminaries import *  # noqa: F401,F403
from solved_ch02_preliminaries import sum_and_norm as _mine


def sum_and_norm(X):
    port = json.loads(os.environ.get("SCENARIO_TARGETS", "{}")).get("port", 1)
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return _mine(X)
    raise RuntimeError("the attack worked: connected to 127.0.0.1:%d" % port)
