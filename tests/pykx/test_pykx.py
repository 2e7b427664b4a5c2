"""PyKX 4.2 in unlicensed mode with our libq.so in place of its libe.so (scripts/test-pykx.sh
sets that up): conversions both ways, serialization (PyKX calls b9, okx and d9 with char
vectors; the bytes compared with those KX's libe.so writes), pickling, and IPC end to end
against tests/net/kdb_server.py (an independent kdb+ server built on aiokdb) and, with PyKX's
default connection (its context interface on), against our own server (target/release/q -p,
tests/pykx/server.q)."""

import datetime
import os
import pickle
import subprocess
import sys
import unittest
import uuid

os.environ.setdefault("PYKX_UNLICENSED", "true")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pykx as kx  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "..", "net", "kdb_server.py")


class Loaded(unittest.TestCase):
    def test_runs_unlicensed_on_our_library(self):
        self.assertFalse(kx.licensed)
        lib = os.path.realpath(os.path.join(os.path.dirname(kx.__file__), "lib", "l64", "libe.so"))
        self.assertEqual(os.path.basename(lib), "libq.so", lib)


ATOMS = [
    True, 0, -5, 2**62, 1.5, float("-inf"), "x", b"\x01",
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    datetime.date(2024, 2, 29), datetime.datetime(2024, 1, 2, 3, 4, 5, 678000),
    datetime.timedelta(seconds=3661, microseconds=5),
]


class Conversions(unittest.TestCase):
    def roundtrip(self, x):
        return kx.toq(x).py()

    def test_atoms(self):
        for x in ATOMS:
            with self.subTest(x=x):
                self.assertEqual(self.roundtrip(x), x)

    def test_symbols_and_strings(self):
        self.assertEqual(kx.SymbolAtom("trade").py(), "trade")
        self.assertEqual(kx.CharVector("hello").py(), b"hello")
        self.assertEqual(kx.toq(["a", "b", "a"]).py(), ["a", "b", "a"])
        self.assertEqual(kx.toq(np.array(["ibm", "msft"], dtype=object)).py(), ["ibm", "msft"])

    def test_numpy_vectors(self):
        for dtype in ("bool", "uint8", "int16", "int32", "int64", "float32", "float64"):
            with self.subTest(dtype=dtype):
                a = (np.arange(10) % 2 == 0) if dtype == "bool" else np.arange(10).astype(dtype)
                back = kx.toq(a).np()
                self.assertEqual(back.dtype, a.dtype)
                np.testing.assert_array_equal(back, a)
        ts = np.array(["2024-01-02T03:04:05.123456789", "1970-01-01"], dtype="datetime64[ns]")
        np.testing.assert_array_equal(kx.toq(ts).np(), ts)

    def test_nested_lists_and_dicts(self):
        x = [1, [2.5, "a"], {"k": [1, 2]}]
        self.assertEqual(kx.toq(x).py(), x)
        d = {"a": 1, "b": 2}
        self.assertEqual(kx.toq(d).py(), d)

    def test_tables(self):
        df = pd.DataFrame({"sym": ["ibm", "msft", "ibm"], "px": [10.5, 20.25, 11.0],
                           "qty": np.array([100, 200, 300], dtype="int64")})
        t = kx.toq(df)
        self.assertIsInstance(t, kx.Table)
        pd.testing.assert_frame_equal(t.pd(), df)
        keyed = kx.toq(df.set_index("sym"))
        self.assertIsInstance(keyed, kx.KeyedTable)
        pd.testing.assert_frame_equal(keyed.pd(), df.set_index("sym"))


class Serialization(unittest.TestCase):
    # Each object with the bytes KX's libe.so serializes it to (PyKX 4.2 unlicensed on its own
    # libe.so, kx.serialize(kx.toq(x))): ours must write the same.
    OBJECTS = [
        (1, "0100000011000000f90100000000000000"),
        (2.5, "0100000011000000f70000000000000440"),
        ("sym", "010000000d000000f573796d00"),
        ([1, 2, 3], "0100000029000000000003000000f90100000000000000f90200000000000000"
                    "f90300000000000000"),
        ({"a": [1, 2], "b": [3.5, 4.5]},
         "0100000049000000630b000200000061006200000002000000000002000000f90100000000000000"
         "f90200000000000000000002000000f70000000000000c40f70000000000001240"),
        ([1, "a", [2.5]], "0100000029000000000003000000f90100000000000000f561000000010000"
                          "00f70000000000000440"),
        (pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}),
         "010000003b0000006200630b000200000061006200000002000000070002000000010000000000000002"
         "000000000000000b000200000078007900"),
    ]

    def test_serialize_deserialize(self):
        for x, kx_hex in self.OBJECTS:
            with self.subTest(x=type(x)):
                s = bytes(kx.serialize(kx.toq(x)).copy())
                self.assertEqual(s.hex(), kx_hex)
                back = kx.deserialize(s)
                self.assertEqual(bytes(kx.serialize(back).copy()).hex(), kx_hex)

    def test_deserialize_bytes_from_kdb(self):
        # -8!1i and -8!`a`b, as real kdb+ writes them (byte order 1).
        self.assertEqual(kx.deserialize(bytes.fromhex("010000000d000000fa01000000")).py(), 1)
        v = kx.deserialize(bytes.fromhex("01000000120000000b0002000000610062 00".replace(" ", "")))
        self.assertEqual(v.py(), ["a", "b"])

    def test_deserialize_refuses_garbage(self):
        with self.assertRaises(kx.QError):
            kx.deserialize(b"\x01\x00\x00\x00\x0e\x00\x00\x00\x07\x00\xff\xff\xff\x7f\x00\x00")

    def test_pickle(self):
        for x, kx_hex in self.OBJECTS:
            with self.subTest(x=type(x)):
                back = pickle.loads(pickle.dumps(kx.toq(x)))
                self.assertEqual(bytes(kx.serialize(back).copy()).hex(), kx_hex)


class Ipc(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        python = os.environ.get("LIBQ_SERVER_PYTHON", "python3")
        cls.server = subprocess.Popen([python, SERVER, "--port", "0"], stdout=subprocess.PIPE,
                                      text=True)
        line = cls.server.stdout.readline()
        if not line.startswith("PORT "):
            cls.server.kill()
            raise RuntimeError(f"the kdb+ test server did not start: {line!r}")
        cls.port = int(line.split()[1])

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.server.wait()

    def test_queries_and_echo(self):
        with kx.SyncQConnection("127.0.0.1", self.port, no_ctx=True) as q:
            self.assertEqual(q("2+2").py(), 4)
            self.assertEqual(q("til 5").py(), [0, 1, 2, 3, 4])
            for x in ([1, 2, 3], "sym", {"a": [1, 2]}, [1.5, "x", [2]],
                      pd.DataFrame({"a": [1, 2], "b": [1.5, 2.5]})):
                with self.subTest(x=type(x)):
                    back = q("echo", x)
                    self.assertEqual(kx.serialize(back).copy(), kx.serialize(kx.toq(x)).copy())

    def test_errors_and_compressed_replies(self):
        with kx.SyncQConnection("127.0.0.1", self.port, no_ctx=True) as q:
            with self.assertRaises(kx.QError) as e:
                q("'oops")
            self.assertIn("oops", str(e.exception))
            z = q("compressed").np()
            self.assertEqual((len(z), int(z.sum())), (100000, 0))


class IpcOurServer(unittest.TestCase):
    """PyKX's default connection (its context interface on: at connect it asks the server for
    the `.q` namespace and its keys) against our own server, the console `q -p`."""

    @classmethod
    def setUpClass(cls):
        q = os.environ.get("LIBQ_Q", os.path.join(HERE, "..", "..", "target", "release", "q"))
        cls.server = subprocess.Popen([q, os.path.join(HERE, "server.q"), "-p", "0W"],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        line = cls.server.stdout.readline()
        try:
            cls.port = int(line)
        except ValueError:
            cls.server.kill()
            raise RuntimeError(f"our q server did not start: {line!r}")

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.server.wait()

    def test_default_connection(self):
        with kx.SyncQConnection("127.0.0.1", self.port) as q:
            self.assertEqual(q("2+2").py(), 4)
            self.assertEqual(q("t").pd()["y"].tolist(), ["a", "b", "c"])
            self.assertEqual(q("echo", [1, 2, 3]).py(), [1, 2, 3])
            # the context interface: keywords and namespaces of the server
            self.assertIn("til", q._q_ctx_keys)
            self.assertEqual(q.til(3).py(), [0, 1, 2])
            self.assertEqual(q.ctx.q.til(4).py(), [0, 1, 2, 3])
            with self.assertRaises(kx.QError):
                q("'oops")

    def test_reconnect(self):
        with kx.SyncQConnection("127.0.0.1", self.port) as q:
            self.assertEqual(q("1+1").py(), 2)
        with kx.SyncQConnection("127.0.0.1", self.port) as q:
            self.assertEqual(q("sum til 10").py(), 45)

    def test_from_several_threads(self):
        """Eight Python threads, each with its own connection, update one global and convert
        what comes back (our library's objects, made and freed on every thread at once): the
        count is exact, every reply is right, nothing waits for the main thread (in join)."""
        import threading

        with kx.SyncQConnection("127.0.0.1", self.port) as q:
            q("cnt:0")
        bad = []

        def worker(i):
            try:
                with kx.SyncQConnection("127.0.0.1", self.port) as q:
                    for n in range(200):
                        if not isinstance(q("cnt+:1").py(), int):
                            bad.append(("cnt", i, n))
                        v = q("{x,til 3}", kx.toq([i, n]))
                        if v.py() != [i, n, 0, 1, 2]:
                            bad.append(("echo", i, n, v.py()))
                        if kx.toq(np.arange(n)).np().sum() != n * (n - 1) // 2:
                            bad.append(("toq", i, n))
            except Exception as e:  # a failure on a thread must fail the test
                bad.append(("raised", i, repr(e)))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertFalse(any(t.is_alive() for t in threads), "a thread hung")
        self.assertEqual(bad, [])
        with kx.SyncQConnection("127.0.0.1", self.port) as q:
            self.assertEqual(q("cnt").py(), 1600)


if __name__ == "__main__":
    unittest.main(verbosity=2)
