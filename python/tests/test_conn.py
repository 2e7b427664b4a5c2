"""SyncQConnection against a kdb+ server built on aiokdb (tests/net/kdb_server.py)."""

import datetime
import threading
import time
import uuid

import numpy as np
import pandas as pd
import pytest

import libq as kx
from libq import q


def text(x):
    return q("-3!", x).py().decode()


def test_call_and_echo(kdb_server):
    port = kdb_server()
    with kx.SyncQConnection("127.0.0.1", port, username="py", password="pw") as c:
        assert c("2+2").py() == 4
        assert c("til 5").np().tolist() == [0, 1, 2, 3, 4]
        assert c("user").py() == b"py"
        with pytest.raises(kx.QError, match="^oops$"):
            c("'oops")
        # Values out and back through the other implementation's decoder and encoder.
        for v in [7, [1, 2, 3], 2.5, "sym", b"text", True, datetime.datetime(2024, 1, 2, 3, 4, 5),
                  datetime.date(2024, 1, 2), datetime.timedelta(seconds=90),
                  uuid.UUID(int=12345), [1, "a", b"b"], {"a": 1, "b": 2},
                  np.arange(5, dtype=np.int32), np.array([1.5, np.nan]),
                  pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})]:
            assert text(c("echo", v)) == text(v), v
        big = np.arange(1 << 20)
        assert c("count", big).py() == 1 << 20
        assert np.array_equal(c("echo", big).np(), big)
        assert c("note", 5, wait=False) is None
        assert text(c("last_async")) == '("note";5)'
        c("notify", wait=False)
        assert c.receive().py() == b"notified"


def test_access_refused(kdb_server):
    port = kdb_server("--password", "secret")
    with pytest.raises(kx.QError, match="^access$"):
        kx.SyncQConnection("127.0.0.1", port, username="u", password="wrong")
    kx.SyncQConnection("127.0.0.1", port, username="u", password="secret").close()


def test_refused_port():
    with pytest.raises(ConnectionRefusedError):
        kx.SyncQConnection("127.0.0.1", 1)


def test_timeout_ends_a_call(kdb_server):
    port = kdb_server()
    c = kx.SyncQConnection("127.0.0.1", port, timeout=0.3)
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        c("hang")
    assert time.monotonic() - start < 5
    with pytest.raises(OSError):
        c("2+2")  # the connection is dead after a timeout
    c.close()
    with pytest.raises(ValueError):
        c("2+2")


def test_threads_share_a_connection(kdb_server):
    port = kdb_server()
    errors = []
    with kx.SyncQConnection("127.0.0.1", port) as c:
        def work(w):
            try:
                for i in range(50):
                    assert c("echo", [w, i]).py() == [w, i]
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors


def test_close_ends_a_call_in_flight(kdb_server):
    port = kdb_server()
    c = kx.SyncQConnection("127.0.0.1", port)
    errors = []

    def call():
        try:
            c("hang")
        except OSError as e:
            errors.append(e)

    t = threading.Thread(target=call)
    t.start()
    time.sleep(0.2)
    c.close()
    t.join(5)
    assert not t.is_alive() and len(errors) == 1
    with pytest.raises(ValueError):
        c("2+2")
