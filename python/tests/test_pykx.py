"""Where this package says it is drop-in for PyKX, PyKX 4.2 (in unlicensed mode, in its own
process) is the reference: toq gives the same IPC bytes, and .py(), .np(), .pd() the same Python
values for the same q objects. Needs pykx (pip install pykx==4.2.0): without it the test
fails, unless LIBQ_PYKX_OPTIONAL=1 skips it."""

import datetime
import os
import pickle
import subprocess
import sys
import uuid

import numpy as np
import pandas as pd
import pytest

import libq as kx

VALUES = [
    None, True, False, 0, 42, -7, 1.5, float("inf"), "sym", "", b"bytes", b"c", b"",
    datetime.datetime(2024, 1, 2, 3, 4, 5, 123456), datetime.date(2024, 1, 2),
    datetime.timedelta(seconds=90, microseconds=5), datetime.time(1, 2, 3, 4000),
    uuid.UUID("01234567-89ab-cdef-0123-456789abcdef"),
    [1, 2, 3], [1.5, 2.5], ["a", "b"], [True, False], [1, "a", b"bc"], [], (1, 2),
    {"a": 1, "b": 2}, {"a": [1, 2], "b": "x"},
    np.array([1, 2], dtype=np.int64), np.array([1, 2], dtype=np.int32),
    np.array([1, 2], dtype=np.int16), np.array([1, 2], dtype=np.uint8),
    np.array([1.5, np.nan]), np.array([1.5], dtype=np.float32), np.array([True, False]),
    np.array(["a", "b"]), np.array(["2024-01-02T03:04:05.000000001"], dtype="datetime64[ns]"),
    np.array(["2024-01-02"], dtype="datetime64[D]"), np.array([5], dtype="timedelta64[ns]"),
    np.int32(7), np.float32(1.5),
    pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "c": [1.5, 2.5]}),
]

EXPRESSIONS = [
    "1b", "0x2a", "-3h", "7i", "42", "1.5e", "2.5", "\"x\"", "\"hello\"", "`ibm",
    "2024.01.02D03:04:05.123456789", "2024.01m", "2024.01.02", "0D01:30", "01:01", "01:01:01",
    "01:01:01.001", "\"G\"$\"01234567-89ab-cdef-0123-456789abcdef\"", "::",
    "010b", "0x0102", "1 2h", "1 2i", "1 0N 3", "1.5 2e", "1.5 0n", "`a`b",
    "2024.01.02D03:04:05.123456789 2024.01.03D00:00:00.000000000", "2024.01 2024.02m",
    "2024.01.02 2024.01.03", "0D01:30 0D00:00:01", "01:01 01:02", "01:01:01 01:01:02",
    "01:01:01.001 01:01:01.002", "(1;`a;\"bc\")", "`a`b!1 2", "([] a:1 2; b:`x`y; c:1.5 2.5)",
    "([k:`x`y] v:1 2)", "0N", "0Ni", "0Nh", "0n", "0Ne", "0Np", "0Nd", "0Nm", "0Nn", "0Nu", "0Nv",
    "0Nt", "0Ng", "`", "1 0N 3i", "1 0N 3h", "2024.01.02 0Nd", "0D01 0Nn", "01:01 0Nu", "(`a;1)!(2;`b)",
]


def pykx_side(values, messages):
    job = pickle.dumps({"values": values, "messages": messages})
    env = dict(os.environ, PYKX_UNLICENSED="true")
    r = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "pykx_side.py")],
                       input=job, capture_output=True, env=env, timeout=300)
    if r.returncode != 0:
        msg = "PyKX did not run (pip install pykx==4.2.0): " + r.stderr.decode()[-500:]
        if os.environ.get("LIBQ_PYKX_OPTIONAL") == "1":
            pytest.skip(msg)
        pytest.fail(msg + " (LIBQ_PYKX_OPTIONAL=1 skips)")
    return pickle.loads(r.stdout)


@pytest.fixture(scope="module")
def pykx():
    messages = [kx.serialize(kx.q(e)) for e in EXPRESSIONS]
    return pykx_side(VALUES, messages)


@pytest.mark.parametrize("i", range(len(VALUES)), ids=[repr(v)[:40] for v in VALUES])
def test_toq_bytes(pykx, i):
    theirs = pykx["toq"][i]
    ours = kx.serialize(VALUES[i])
    assert ours == theirs, "toq(%r): ours %r, PyKX %r" % (VALUES[i], ours, theirs)


def same(a, b):
    if isinstance(a, pd.DataFrame):
        return isinstance(b, pd.DataFrame) and a.equals(b) and list(a.index.names) == list(b.index.names)
    if isinstance(a, pd.Series):
        return isinstance(b, pd.Series) and a.equals(b)
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(
            a, b, equal_nan=a.dtype.kind in "fcmM")
    if isinstance(a, (float, np.floating)) and a != a:
        return type(a) is type(b) and b != b
    if isinstance(a, (np.datetime64, np.timedelta64)) and np.isnat(a):
        return type(a) is type(b) and np.isnat(b) and a.dtype == b.dtype
    if a is pd.NA or a is pd.NaT:
        return b is a
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("how", ["py", "np", "pd"])
@pytest.mark.parametrize("i", range(len(EXPRESSIONS)), ids=EXPRESSIONS)
def test_conversions(pykx, how, i):
    theirs = pykx["convert"][i][how]
    try:
        ours = getattr(kx.q(EXPRESSIONS[i]), how)()
    except Exception as e:  # noqa: BLE001
        ours = "error: %s" % type(e).__name__
    if isinstance(theirs, str) and theirs.startswith("error"):
        pytest.skip("PyKX: %s" % theirs)
    assert same(ours, theirs), "%s.%s(): ours %r, PyKX %r" % (EXPRESSIONS[i], how, ours, theirs)
