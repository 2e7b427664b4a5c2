import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def kdb_server():
    """Starts tests/net/kdb_server.py (a kdb+ server on aiokdb's serializer, an independent
    implementation of the wire format) on a free loopback port; yields a function that starts
    one with extra options and returns its port. Without aiokdb the test fails, unless
    LIBQ_NET_TESTS_OPTIONAL=1 skips it."""
    started = []

    def start(*args):
        python = os.environ.get("LIBQ_PYTHON", sys.executable)
        p = subprocess.Popen([python, str(ROOT / "tests/net/kdb_server.py"), *args],
                             stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        started.append(p)
        line = p.stdout.readline().strip()
        if not line.startswith("PORT "):
            msg = "the test server did not start (needs: pip install aiokdb): %r" % line
            if os.environ.get("LIBQ_NET_TESTS_OPTIONAL") == "1":
                pytest.skip(msg)
            pytest.fail(msg + " (LIBQ_NET_TESTS_OPTIONAL=1 skips)")
        return int(line.split()[1])

    yield start
    for p in started:
        p.kill()
        p.wait()
