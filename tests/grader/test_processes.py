"""Finding, killing and reaping a sandbox's leftover processes through /proc."""
import os
import secrets
import subprocess
import sys

import pytest

from grader.sandbox import processes

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def test_descendants_walk_the_whole_tree_through_zombies():
    table = {1: (b"S", 0), 10: (b"S", 1), 11: (b"Z", 10), 12: (b"S", 11), 13: (b"R", 12), 20: (b"S", 1)}
    assert processes.descendants(10, table) == {11, 12, 13}
    assert processes.descendants(13, table) == set()


def test_a_marked_process_is_found_killed_and_reaped():
    token = secrets.token_hex(8)
    sleeper = subprocess.Popen(["sleep", "30"], env=dict(os.environ, GRADER_TEST_MARK=token))
    mark = ("GRADER_TEST_MARK=%s" % token).encode()
    try:
        found = processes.marked(mark, processes.process_table())
        assert found == {sleeper.pid}
        processes.kill(found)
        processes.reap(found, mark, seconds=5)
        assert sleeper.pid not in processes.process_table()  # gone, not left as a zombie
    finally:
        if sleeper.poll() is None:
            sleeper.kill()
            sleeper.wait()
