"""The embedded engine from Python: evaluation, errors, conversions both ways, numpy views,
pandas and pyarrow tables, threads."""

import datetime
import math
import threading
import time
import uuid

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import libq as kx
from libq import q


def text(x):
    """q's own string form of x (converted by toq)."""
    return q("-3!", x).py().decode()


def test_eval_and_apply():
    assert q("2+2").py() == 4
    assert q("{x+y}", 1, 2).py() == 3
    assert q.til(3).py() == [0, 1, 2]
    assert q.sum([1, 2, 3]).py() == 6
    assert repr(q("til 3")) == "0 1 2"


def test_errors():
    with pytest.raises(kx.QError) as e:
        q("1+`a")
    assert str(e.value) == "type"
    with pytest.raises(kx.QError, match="^custom$"):
        q("'custom")
    with pytest.raises(TypeError):
        kx.toq(object())


@pytest.mark.parametrize("value, shown", [
    (None, "::"),
    (True, "1b"),
    (42, "42"),
    (-(1 << 63), "0N"),
    (2.5, "2.5"),
    (float("nan"), "0n"),
    ("ibm", "`ibm"),
    (b"text", '"text"'),
    (datetime.datetime(2024, 1, 2, 3, 4, 5, 123456), "2024.01.02D03:04:05.123456000"),
    (datetime.datetime(2024, 1, 2, 4, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
     "2024.01.02D03:04:05.000000000"),
    (datetime.date(2024, 1, 2), "2024.01.02"),
    (datetime.timedelta(minutes=90), "0D01:30:00.000000000"),
    (datetime.time(1, 2, 3, 4000), "0D01:02:03.004000000"),
    (uuid.UUID("01234567-89ab-cdef-0123-456789abcdef"), "01234567-89ab-cdef-0123-456789abcdef"),
    # Python lists are general lists, as in PyKX; numpy arrays are vectors.
    ([True, False], "(1b;0b)"),
    ([1, 2], "(1;2)"),
    ([1.5, 2.0], "(1.5;2f)"),
    (["a", "b"], "(`a;`b)"),
    ([1, "a", b"bc"], '(1;`a;"bc")'),
    ([], "()"),
    ({"a": 1, "b": 2}, "`a`b!(1;2)"),
    ({"a": [1, 2], "b": "x"}, "`a`b!((1;2);`x)"),
    ({"a": np.array([1, 2]), "b": "x"}, "`a`b!(1 2;`x)"),
    (b"c", '"c"'),
    (np.array([1, 2], dtype=np.int16), "1 2h"),
    (np.array([1, 2], dtype=np.int32), "1 2i"),
    (np.array([1, 2], dtype=np.int64), "1 2"),
    (np.array([1, 2], dtype=np.uint8), "0x0102"),
    (np.array([1.5], dtype=np.float32), ",1.5e"),
    (np.array([True, False]), "10b"),
    (np.array(["2024-01-02T03:04:05.000000001", "NaT"], dtype="datetime64[ns]"),
     "2024.01.02D03:04:05.000000001 0N"),
    (np.array(["2024-01-02", "NaT"], dtype="datetime64[D]"), "2024.01.02 0N"),
    (np.array(["2024-01"], dtype="datetime64[M]"), ",2024.01m"),
    (np.array([90], dtype="timedelta64[m]"), ",0D01:30:00.000000000"),
    (np.array(["a", "b"], dtype=object), "`a`b"),
    (np.array(["a", "b"]), "`a`b"),
    (np.int32(7), "7"),  # PyKX: a numpy integer scalar is a long
    (np.float32(1.5), "1.5e"),
    (np.datetime64("2024-01-02"), "2024.01.02"),
])
def test_toq(value, shown):
    assert text(value) == shown


@pytest.mark.parametrize("expr, value", [
    ("1b", True), ("0x2a", 42), ("-3h", -3), ("7i", 7), ("42", 42), ("1.5e", 1.5), ("2.5", 2.5),
    ('"x"', b"x"), ('"hello"', b"hello"), ("`ibm", "ibm"), ("`a`b", ["a", "b"]),
    ("2024.01.02D03:04:05.123456789", datetime.datetime(2024, 1, 2, 3, 4, 5, 123456)),
    ("0Np", pd.NaT), ("0N", pd.NA), ("2024.01m", datetime.date(2024, 1, 1)), ("2024.01.02", datetime.date(2024, 1, 2)),
    ("2024.01.02T03:04:05.006", datetime.datetime(2024, 1, 2, 3, 4, 5, 6000)),
    ("0D01:30", datetime.timedelta(minutes=90)), ("01:01", datetime.timedelta(minutes=61)),
    ("01:01:01", datetime.timedelta(seconds=3661)), ("00:00:01.500", datetime.timedelta(seconds=1.5)),
    ('"G"$"01234567-89ab-cdef-0123-456789abcdef"', uuid.UUID("01234567-89ab-cdef-0123-456789abcdef")),
    ("::", None), ("(1;`a;\"bc\")", [1, "a", b"bc"]), ("`a`b!1 2", {"a": 1, "b": 2}),
    ("([] a:1 2; b:`x`y)", {"a": [1, 2], "b": ["x", "y"]}),
    ("([k:`x`y] v:1 2)", {("x",): {"v": 1}, ("y",): {"v": 2}}),
    ("1 0N 3", [1, pd.NA, 3]),
])
def test_py(expr, value):
    got = q(expr).py()
    if value is pd.NA or value is pd.NaT:
        assert got is value
    else:
        assert got == value


def test_round_trip_through_python():
    # .py() keeps these types (bytes, shorts, ints, reals, times come back wider, as in PyKX).
    # Vectors come back as lists, which go to q as general lists (PyKX's rules).
    for expr in ["1b", "42", "2.5", "`ibm", '"hello"', "2024.01.02D03:04:05.123456000",
                 "2024.01.02", "0D01:30:00.000000000", "(1;`a;\"bc\")"]:
        assert text(q(expr).py()) == q("-3!", q(expr)).py().decode(), expr


def test_numpy_views():
    k = q("til 5")
    a = k.np()
    assert a.dtype == np.int64 and a.tolist() == [0, 1, 2, 3, 4]
    # A vector made from Python is this program's alone: its view is writable, and q sees the
    # write (no copy either way).
    mine = kx.toq(np.zeros(4))
    v = mine.np()
    assert v.flags.writeable
    v[2] = 7.5
    assert q("sum", mine).py() == 7.5
    assert q("{x 2}", mine).py() == 7.5
    # A shared object's view is read-only.
    shared = q("{x}", mine)
    assert not shared.np().flags.writeable
    # The array keeps the object alive after the K is gone.
    a = q("1 2 3").np()
    del k
    assert a.tolist() == [1, 2, 3]
    for expr, dtype in [("010b", "bool"), ("0x0102", "uint8"), ("1 2h", "int16"), ("1 2i", "int32"),
                        ("1 2e", "float32"), ("1 2f", "float64"), ('"ab"', "S1"),
                        ("1 2n", "timedelta64[ns]")]:
        assert q(expr).np().dtype == np.dtype(dtype), expr
    ts = q("2024.01.02D03:04:05.000000001 0Np").np()
    assert ts.dtype == np.dtype("datetime64[ns]")
    assert str(ts[0]) == "2024-01-02T03:04:05.000000001" and np.isnat(ts[1])
    assert q("2024.01.02 0Nd").np().astype(str).tolist() == ["2024-01-02", "NaT"]
    assert q("2024.01 2024.02m").np().astype(str).tolist() == ["2024-01", "2024-02"]
    assert q("01:00 0Nu").np().astype(str).tolist()[0] == "60 minutes"
    assert q("2024.01.02").np() == np.datetime64("2024-01-02")
    assert q("2024.01.02 2024.01.03").np(raw=True).tolist() == [8767, 8768]
    assert q("`a`b").np().tolist() == ["a", "b"]


def test_pandas_tables():
    df = pd.DataFrame({
        "sym": ["ibm", "msft", "aapl"],
        "price": [1.5, 2.5, 3.5],
        "size": np.array([100, 200, 300], dtype=np.int64),
        "time": pd.to_datetime(["2024-01-02 09:30", "2024-01-02 09:31", None]).astype("datetime64[ns]"),
        "flag": [True, False, True],
    })
    t = kx.toq(df)
    assert t.t == 98 and len(t) == 3
    assert text(q("meta", t)) == "(+(,`c)!,`sym`price`size`time`flag)!+`t`f`a!(\"sfjpb\";`````;`````)"
    assert q("{exec sum size from x where price>2}", t).py() == 500
    back = t.pd()
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert back["size"].dtype == np.int64 and back["time"].dtype == np.dtype("datetime64[ns]")
    # A keyed table is a DataFrame indexed by its key columns, and back.
    keyed = q("([sym:`a`b] px:1 2f)").pd()
    assert list(keyed.index) == ["a", "b"] and keyed["px"].tolist() == [1.0, 2.0]
    assert text(keyed) == "(+(,`sym)!,`a`b)!+(,`px)!,1 2f"
    s = q("1 2 3").pd()
    assert isinstance(s, pd.Series) and s.tolist() == [1, 2, 3]
    assert q("([] s:(\"ab\";\"c\"))").pd()["s"].tolist() == [b"ab", b"c"]


def test_pyarrow_tables():
    t = q("([] a:1 2 3; b:`x`y`z; c:1.5 0n 2.5)").pa()
    assert isinstance(t, pa.Table)
    assert t.column_names == ["a", "b", "c"]
    assert t.column("a").to_pylist() == [1, 2, 3] and t.column("b").to_pylist() == ["x", "y", "z"]
    back = kx.toq(t)
    assert text(back) == "+`a`b`c!(1 2 3;`x`y`z;1.5 0n 2.5)"
    assert q("til 3").pa().to_pylist() == [0, 1, 2]


def test_threads_share_the_engine():
    q("goCount:0")
    errors = []

    def work(w):
        try:
            for i in range(200):
                assert q("{[w;i] goCount+:1; i+1000*w}", w, i).py() == i + 1000 * w
                with pytest.raises(kx.QError, match="^w%d$" % w):
                    q("{'x}", "w%d" % w)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert q("goCount").py() == 1600


def test_gil_released_while_q_runs():
    # A thread running q for a while must leave the GIL to the others: Python code keeps
    # running meanwhile.
    loop = "{do[x;y+:1]; y}"
    start = time.perf_counter()
    q(loop, 200000, 0)
    single = time.perf_counter() - start
    n = max(200000, int(200000 * 0.3 / max(single, 1e-6)))  # about 0.3 s of q
    ticks = []
    done = threading.Event()

    def run_q():
        q(loop, n, 0)
        done.set()

    t = threading.Thread(target=run_q)
    t.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    t.join()
    assert len(ticks) >= 20, "Python ran %d times while q ran" % len(ticks)


def test_indexing():
    for expr, i, shown in [("1 2 3i", 1, "2i"), ("`a`b", 0, "`a"), ("2024.01.02 2024.01.03", -1, "2024.01.03"),
                           ("(1;`a)", 1, "`a"), ('"ab"', 0, '"a"'), ("2?0Ng", 0, None), ("10b", 1, "0b")]:
        item = q(expr)[i]
        if shown is not None:
            assert text(item) == shown, expr
        assert item.t == -abs(q(expr).t) or q(expr).t == 0
    with pytest.raises(IndexError):
        q("1 2")[2]
    t = q("([] a:1 2)")
    assert text(t.keys()) == ",`a" and text(t.values()) == ",1 2"
    d = q("`x`y!1 2")
    assert text(d.keys()) == "`x`y" and len(d) == 2 and len(t) == 2


def test_release_and_lifetime():
    k = q("til 3")
    k.release()
    k.release()
    assert repr(k) == "<released K>"
    with pytest.raises(ValueError):
        k.py()
    x = kx.toq([1, 2])
    y = kx.toq(x)  # a second reference
    assert x._refs() == 1
    del y
    assert x._refs() == 0


def test_listen_serves_clients():
    kx.listen(0)
    port = 15000 + threading.get_ident() % 1000
    kx.listen(port)
    try:
        with kx.SyncQConnection("127.0.0.1", port, timeout=5) as c:
            assert c("1+1").py() == 2
    finally:
        kx.listen(0)
