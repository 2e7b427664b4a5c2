"""The K object (one reference to a q object) and conversions between Python and q."""

import ctypes
import datetime
import errno as _errno
import math
import os
import uuid

from ._lib import GUID, lib

# Types (k.h's names).
KB, UU, KG, KH, KI, KJ, KE, KF, KC, KS = 1, 2, 4, 5, 6, 7, 8, 9, 10, 11
KP, KM, KD, KZ, KN, KU, KV, KT = 12, 13, 14, 15, 16, 17, 18, 19
XT, XD, KERR = 98, 99, -128

NULL_H, NULL_I, NULL_J = -(1 << 15), -(1 << 31), -(1 << 63)

_EPOCH = datetime.datetime(2000, 1, 1)
_EPOCH_DATE = datetime.date(2000, 1, 1)
_UNIX_OFFSET_NS = 946684800 * 10**9
_UNIX_OFFSET_DAYS = 10957

_ITEM = {KB: 1, UU: 16, KG: 1, KH: 2, KI: 4, KJ: 8, KE: 4, KF: 8, KC: 1, KS: 8, KP: 8, KM: 4,
         KD: 4, KZ: 8, KN: 8, KU: 4, KV: 4, KT: 4, 0: 8}
_CTYPE = {KB: ctypes.c_ubyte, KG: ctypes.c_ubyte, KH: ctypes.c_int16, KI: ctypes.c_int32,
          KJ: ctypes.c_int64, KE: ctypes.c_float, KF: ctypes.c_double, KC: ctypes.c_char,
          KP: ctypes.c_int64, KM: ctypes.c_int32, KD: ctypes.c_int32, KZ: ctypes.c_double,
          KN: ctypes.c_int64, KU: ctypes.c_int32, KV: ctypes.c_int32, KT: ctypes.c_int32}


class QError(Exception):
    """A q error: 'type, 'length, a signal, a server's refusal ('access). str() is its name."""


def _pending():
    """This thread's pending error message, cleared."""
    e = lib.ee(None)
    try:
        return _text(ctypes.c_void_p.from_address(e + 8).value)
    finally:
        lib.r0(e)


def _text(p):
    return ctypes.string_at(p).decode("utf-8", "replace") if p else ""


def _made(p):
    if not p:
        raise QError(_pending())
    return p


class K:
    """One reference to a q object, given back when the K is collected (or by release()).

    .py() Python objects, .np() numpy (zero-copy for numeric vectors), .pd() pandas,
    .pa() pyarrow; len(), indexing, and q's own text for repr()."""

    __slots__ = ("_p", "__weakref__")

    def __init__(self, p):
        self._p = p  # takes the reference

    def __del__(self):
        try:
            self.release()
        except Exception:  # noqa: BLE001 - the interpreter is shutting down
            pass

    def release(self):
        p, self._p = self._p, None
        if p:
            lib.r0(p)

    @property
    def t(self):
        """The q type: negative for atoms."""
        return ctypes.c_int8.from_address(self._ptr() + 2).value

    def _ptr(self):
        if not self._p:
            raise ValueError("released K object")
        return self._p

    def _n(self):
        return ctypes.c_int64.from_address(self._ptr() + 8).value

    def _refs(self):
        return ctypes.c_int32.from_address(self._ptr() + 4).value

    def _items(self):
        return self._ptr() + 16

    def _child(self, i):
        """Item i of a general list (or of a dictionary's pair) as a new K."""
        return K(lib.r1(ctypes.c_void_p.from_address(self._items() + 8 * i).value))

    def _table_dict(self):
        return K(lib.r1(ctypes.c_void_p.from_address(self._ptr() + 8).value))

    def __len__(self):
        t = self.t
        if t < 0 or t > XD:
            return 1
        if t == XT:
            cols = self._table_dict()._child(1)
            return len(cols._child(0)) if cols._n() else 0
        if t == XD:
            return len(self._child(0))
        return self._n()

    def __getitem__(self, i):
        t = self.t
        if t == XT or t == XD:
            return self.keys() if i == 0 else self.values()
        if t < 0 or t > XD:
            raise TypeError("a q atom has no items")
        n = self._n()
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        if t == 0:
            return self._child(i)
        return K(_atom_at(self, t, i))

    def keys(self):
        """A dictionary's keys (a keyed table's key table); a table's column names."""
        if self.t == XT:
            return self._table_dict()._child(0)
        if self.t != XD:
            raise QError("type")
        return self._child(0)

    def values(self):
        """A dictionary's values (a keyed table's value table); a table's columns."""
        if self.t == XT:
            return self._table_dict()._child(1)
        if self.t != XD:
            raise QError("type")
        return self._child(1)

    def __repr__(self):
        from ._q import q

        if not self._p:
            return "<released K>"
        return q("-3!", self).py().decode("utf-8", "replace")

    # ---- to Python ----------------------------------------------------------------------

    def py(self):
        """Python objects: int, float, bool, str (symbols), bytes (strings), datetime types,
        uuid.UUID, lists, dicts; a table is a dict of column lists."""
        t = self.t
        if t < 0 and t != KERR:
            if -t in _ITEM:
                return _atom(self, -t)
            return self
        if t == KC:
            return ctypes.string_at(self._items(), self._n())
        if t == KS:
            return [_text(p) for p in _view(self, ctypes.c_void_p)]
        if 0 < t <= KT:
            return [_item(self, t, i) for i in range(self._n())]
        if t == 0:
            return [self._child(i).py() for i in range(self._n())]
        if t == XT:
            d = self._table_dict()
            return dict(zip(d._child(0).py(), d._child(1).py()))
        if t == XD:
            k, v = self._child(0), self._child(1)
            if k.t == XT and v.t == XT:
                # As PyKX: each key row (a tuple) to its value row (a dict).
                kc, vc = k.py(), v.py()
                rows = zip(*kc.values()) if kc else ()
                return {key: {c: vc[c][i] for c in vc} for i, key in enumerate(rows)}
            keys, vals = k.py(), v.py()
            if not isinstance(keys, list) or not isinstance(vals, list):
                return self
            return dict(zip(keys, vals))
        if t == 101 and ctypes.c_ubyte.from_address(self._ptr() + 8).value == 0:
            return None
        return self

    def np(self, raw=False):
        """A numpy array. Booleans, bytes, shorts, ints, longs, reals, floats, chars and
        timespans are zero-copy views (writable when this is the object's only reference);
        other temporal types convert to datetime64/timedelta64 unless raw=True, which views
        their underlying integers; symbols and general lists are object arrays."""
        import numpy as np

        t = self.t
        if t < 0:
            return self._atom_np(raw)
        if t == XD or t == 101:
            # As PyKX: a dictionary's .np() is its .py().
            return self.py()
        if t == XT:
            d = self._table_dict()
            names, cols = d._child(0).py(), d._child(1)
            return np.rec.fromarrays([_column(cols._child(i)) for i in range(len(names))], names=names)
        if t in _NUMPY_VIEW:
            return _numpy_view(self, np.dtype(_NUMPY_VIEW[t]))
        if t in _RAW and raw:
            return _numpy_view(self, np.dtype(_RAW[t]))
        if t == KP:
            j = _numpy_view(self, np.dtype("i8"))
            return np.where(j == NULL_J, j, j + _UNIX_OFFSET_NS).view("datetime64[ns]")
        if t in (KM, KD):
            i = _numpy_view(self, np.dtype("i4")).astype("i8")
            offset = 360 if t == KM else _UNIX_OFFSET_DAYS
            out = np.where(i == NULL_I, NULL_J, i + offset)
            return out.view("datetime64[M]" if t == KM else "datetime64[D]")
        if t == KZ:
            f = _numpy_view(self, np.dtype("f8"))
            ms = np.where(np.isnan(f), NULL_J, np.round(f * 86400e3)
                          .astype("i8", copy=False) + _UNIX_OFFSET_NS // 10**6)
            return ms.view("datetime64[ms]")
        if t in (KU, KV, KT):
            i = _numpy_view(self, np.dtype("i4")).astype("i8")
            unit = {KU: "m", KV: "s", KT: "ms"}[t]
            return np.where(i == NULL_I, NULL_J, i).view("timedelta64[%s]" % unit)
        if t == KS:
            return np.array(self.py(), dtype=object)
        if t == UU:
            return np.array(self.py(), dtype=object)
        if t == 0:
            out = np.empty(self._n(), dtype=object)
            for i in range(self._n()):
                out[i] = self._child(i).py()
            return out
        raise QError("type")

    def _atom_np(self, raw=False):
        """An atom as PyKX gives it: a numpy scalar (bool, str, bytes, UUID, None as Python)."""
        t = -self.t
        if t in (KB, KC, KS, UU) or t not in _ITEM:
            return self.py()
        v = _made(lib.ktn(t, 1))
        ctypes.memmove(v + 16, self._ptr() + 8, _ITEM[t])
        x = K(v).np(raw)[0]
        if t in _TEMPORAL and not raw and np_isnat(x):
            return type(x)("NaT")  # a null atom's NaT has no unit, as PyKX gives it
        return x


    def pd(self):
        """pandas: a table is a DataFrame (a keyed table's keys its index), a vector a Series."""
        import numpy as np
        import pandas as pd

        t = self.t
        if t == XT:
            d = self._table_dict()
            names, cols = d._child(0).py(), d._child(1)
            return pd.DataFrame({n: _column(cols._child(i)) for i, n in enumerate(names)})
        if t == XD and self._child(0).t == XT and self._child(1).t == XT:
            k, v = self._child(0).pd(), self._child(1).pd()
            return pd.concat([k, v], axis=1).set_index(list(k.columns))
        if 0 < t <= KT and t in _INT_NULL:
            a = _column(self)
            nulls = a == _INT_NULL[t]
            if nulls.any():
                # As PyKX: nulls make a nullable integer column.
                return pd.Series(pd.arrays.IntegerArray(a.copy(), nulls))
            return pd.Series(a)
        if 0 <= t <= KT:
            return pd.Series(_column(self))
        if -t in _INT_NULL and _atom(self, -t) is pd.NA:
            return pd.NA
        if t < 0 and -t in _ITEM and -t not in (KB, KC, KS, UU):
            v = self._atom_np()
            if isinstance(v, np.datetime64):
                return pd.Timestamp(v)
            if isinstance(v, np.timedelta64):
                return pd.Timedelta(v)
            return v
        return self.py()

    def pa(self):
        """pyarrow: a table is a pyarrow.Table (keyed: key and value columns side by side), a
        vector an array."""
        import pyarrow as pa

        t = self.t
        if t == XT or (t == XD and self._child(0).t == XT):
            df = self.pd()
            if t == XD:
                df = df.reset_index()
            return pa.Table.from_pandas(df, preserve_index=False)
        if 0 <= t <= KT:
            return pa.array(_column(self))
        raise QError("type")


_TEMPORAL = {KP, KM, KD, KZ, KN, KU, KV, KT}


def np_isnat(x):
    import numpy as np

    return isinstance(x, (np.datetime64, np.timedelta64)) and np.isnat(x)


_NUMPY_VIEW = {KB: "?", KG: "u1", KH: "i2", KI: "i4", KJ: "i8", KE: "f4", KF: "f8", KC: "S1",
               KN: "timedelta64[ns]"}
_RAW = {KP: "i8", KM: "i4", KD: "i4", KZ: "f8", KU: "i4", KV: "i4", KT: "i4"}


def _numpy_view(k, dtype):
    import numpy as np

    n = k._n()
    buf = (ctypes.c_char * (n * dtype.itemsize)).from_address(k._items())
    buf._owner = k  # the array's base keeps the q object alive
    arr = np.frombuffer(buf, dtype=dtype, count=n)
    if k._refs() != 0:
        arr.flags.writeable = False
    return arr


def _column(k):
    """A q column as pandas takes it: numpy, with strings as bytes objects."""
    import numpy as np

    if k.t == 0:
        out = np.empty(k._n(), dtype=object)
        for i in range(k._n()):
            out[i] = k._child(i).py()
        return out
    return k.np()


def _view(k, ctype):
    return (ctype * k._n()).from_address(k._items())


def _atom(k, t):
    p = k._ptr() + 8
    if t == KB:
        return ctypes.c_ubyte.from_address(p).value != 0
    if t == UU:
        return uuid.UUID(bytes=ctypes.string_at(k._items(), 16))
    if t == KC:
        return ctypes.string_at(p, 1)
    if t == KS:
        return _text(ctypes.c_void_p.from_address(p).value)
    return _convert(t, _CTYPE[t].from_address(p).value)


def _item(k, t, i):
    if t == UU:
        return uuid.UUID(bytes=ctypes.string_at(k._items() + 16 * i, 16))
    if t == KS:
        return _text(ctypes.c_void_p.from_address(k._items() + 8 * i).value)
    if t == KC:
        return ctypes.string_at(k._items() + i, 1)
    v = _CTYPE[t].from_address(k._items() + _ITEM[t] * i).value
    if t == KB:
        return v != 0
    return _convert(t, v)


_INT_NULL = {KH: NULL_H, KI: NULL_I, KJ: NULL_J}


def _na():
    """pandas.NA for an integer null, as PyKX (None without pandas)."""
    try:
        import pandas

        return pandas.NA
    except ImportError:
        return None


def _nat():
    """pandas.NaT for a temporal null, as PyKX (None without pandas)."""
    try:
        import pandas

        return pandas.NaT
    except ImportError:
        return None


def _convert(t, v):
    """A raw item as its Python value; nulls of integer types as pandas.NA, of temporal types
    as pandas.NaT (PyKX's choices)."""
    if t in _INT_NULL:
        return _na() if v == _INT_NULL[t] else v
    if t == KP:
        return _nat() if v == NULL_J else _EPOCH + datetime.timedelta(microseconds=v // 1000)
    if t == KD:
        return _nat() if v == NULL_I else _EPOCH_DATE + datetime.timedelta(days=v)
    if t == KM:
        return _nat() if v == NULL_I else datetime.date(2000 + v // 12, v % 12 + 1, 1)
    if t == KZ:
        return _nat() if math.isnan(v) else _EPOCH + datetime.timedelta(milliseconds=round(v * 86400e3))
    if t == KN:
        return _nat() if v == NULL_J else datetime.timedelta(microseconds=v // 1000)
    if t in (KU, KV, KT):
        unit = {KU: "minutes", KV: "seconds", KT: "milliseconds"}[t]
        return _nat() if v == NULL_I else datetime.timedelta(**{unit: v})
    return v


def serialize(x):
    """kdb+'s IPC bytes for x (b9 with capability 3, as PyKX's kx.serialize(x).copy())."""
    k = toq(x)
    b = _made(lib.b9(3, k._ptr()))
    try:
        return ctypes.string_at(b + 16, ctypes.c_int64.from_address(b + 8).value)
    finally:
        lib.r0(b)


def deserialize(data):
    """The q object in kdb+'s IPC bytes (d9)."""
    b = _made(lib.kpn(bytes(data), len(data)))
    ctypes.c_int8.from_address(b + 2).value = KG
    try:
        return K(_made(lib.d9(b)))
    finally:
        lib.r0(b)


# ---- from Python ----------------------------------------------------------------------------


def toq(x):
    """A q object from a Python value, as PyKX's toq makes it: None is ::, str a symbol, bytes
    a string (one byte a char), int a long, float a float, datetime/date/timedelta a
    timestamp/date/timespan, time a timespan from midnight, uuid.UUID a guid, a list or tuple
    a general list, dict a dictionary, numpy arrays vectors by dtype, pandas DataFrames and
    pyarrow Tables tables."""
    if isinstance(x, K):
        return K(lib.r1(x._ptr()))
    return K(_toq(x))


def _toq(x):
    """A new reference for x."""
    if isinstance(x, K):
        return lib.r1(x._ptr())
    if x is None:
        return _made(lib.ka(101))
    if isinstance(x, bool):
        return _made(lib.kb(x))
    if isinstance(x, int):
        if not -(1 << 63) <= x < (1 << 63):
            raise OverflowError("%d does not fit a q long" % x)
        return _made(lib.kj(x))
    if isinstance(x, float):
        return _made(lib.kf(x))
    if isinstance(x, str):
        return _made(lib.ks(_symbol(x)))
    if isinstance(x, (bytes, bytearray)):
        if len(x) == 1:
            return _made(lib.kc(x[0]))
        return _made(lib.kpn(bytes(x), len(x)))
    if isinstance(x, datetime.datetime):
        return _made(lib.ktj(-KP, _timestamp_ns(x)))
    if isinstance(x, datetime.date):
        return _made(lib.kd((x - _EPOCH_DATE).days))
    if isinstance(x, datetime.timedelta):
        return _made(lib.ktj(-KN, _span_ns(x)))
    if isinstance(x, datetime.time):
        # A timespan from midnight, as PyKX makes it.
        us = ((x.hour * 60 + x.minute) * 60 + x.second) * 10**6 + x.microsecond
        return _made(lib.ktj(-KN, us * 1000))
    if isinstance(x, uuid.UUID):
        g = GUID()
        ctypes.memmove(g.g, x.bytes, 16)
        return _made(lib.ku(g))
    if isinstance(x, (list, tuple)):
        return _sequence(x)
    if isinstance(x, dict):
        names = list(x.keys())
        keys = _vector(KS, names) if all(isinstance(n, str) for n in names) else _toq(names)
        try:
            values = _toq(list(x.values()))
        except BaseException:
            lib.r0(keys)
            raise
        return _made(lib.xD(keys, values))
    module = type(x).__module__.split(".")[0]
    if module == "numpy":
        return _numpy(x)
    if module == "pandas":
        return _pandas(x)
    if module == "pyarrow":
        return _pandas(x.to_pandas())
    raise TypeError("cannot convert %s to q" % type(x).__name__)


def _symbol(s):
    b = s.encode("utf-8")
    return lib.sn(b, len(b))


def _timestamp_ns(x):
    if x.tzinfo is not None:
        x = x.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    d = x - _EPOCH
    return (d.days * 86400 + d.seconds) * 10**9 + d.microseconds * 1000


def _span_ns(x):
    return (x.days * 86400 + x.seconds) * 10**9 + x.microseconds * 1000


def _sequence(xs):
    """A general list, whatever the items (as PyKX: numpy arrays make vectors)."""
    x = _made(lib.ktn(0, len(xs)))
    slots = (ctypes.c_void_p * len(xs)).from_address(x + 16)
    try:
        for i, item in enumerate(xs):
            slots[i] = _toq(item)  # the :: each slot held is immortal
    except BaseException:
        for i in range(len(xs)):
            if slots[i] and ctypes.c_int8.from_address(slots[i] + 2).value == 101:
                slots[i] = None
        lib.r0(x)
        raise
    return x


def _vector(t, xs):
    x = _made(lib.ktn(t, len(xs)))
    if t == KS:
        slots = (ctypes.c_void_p * len(xs)).from_address(x + 16)
        for i, s in enumerate(xs):
            slots[i] = _symbol(s)
    else:
        try:
            (_CTYPE[t] * len(xs)).from_address(x + 16)[:] = xs
        except BaseException:
            lib.r0(x)
            raise
    return x


_NUMPY_TYPES = {"b": KB, "u1": KG, "i1": KH, "i2": KH, "i4": KI, "i8": KJ, "u2": KI, "u4": KJ,
                "f4": KE, "f8": KF}


def _numpy(a):
    import numpy as np

    if not isinstance(a, np.ndarray):
        if isinstance(a, (np.datetime64, np.timedelta64)):
            return _atom_of(_numpy(np.array([a])))
        if isinstance(a, np.float32):
            return _made(lib.ke(float(a)))
        # Other numpy scalars as the Python values they hold (PyKX: np.int32(7) is a long).
        return _toq(a.item())
    if a.ndim != 1:
        return _sequence(list(a))
    kind = a.dtype.kind
    if kind in "biuf":
        code = "b" if kind == "b" else "%s%d" % (kind, a.dtype.itemsize)
        t = _NUMPY_TYPES.get(code)
        if t is None:
            raise TypeError("no q type holds numpy %s" % a.dtype)
        target = {KB: "u1", KG: "u1", KH: "i2", KI: "i4", KJ: "i8", KE: "f4", KF: "f8"}[t]
        return _copy_in(t, np.ascontiguousarray(a, dtype=target))
    if kind == "M":
        unit = np.datetime_data(a.dtype)[0]
        if unit == "D":
            i = a.view("i8")
            return _copy_in(KD, np.where(i == NULL_J, NULL_I, i - _UNIX_OFFSET_DAYS).astype("i4"))
        if unit == "M":
            i = a.view("i8")
            return _copy_in(KM, np.where(i == NULL_J, NULL_I, i - 360).astype("i4"))
        j = a.astype("datetime64[ns]").view("i8")
        return _copy_in(KP, np.where(j == NULL_J, j, j - _UNIX_OFFSET_NS))
    if kind == "m":
        return _copy_in(KN, a.astype("timedelta64[ns]").view("i8"))
    if kind == "S" and a.dtype.itemsize == 1:
        return _copy_in(KC, a.view("u1"))
    if kind in "OU":
        items = list(a)
        if all(isinstance(s, str) for s in items):
            return _vector(KS, items)
        return _sequence(items)
    raise TypeError("no q type holds numpy %s" % a.dtype)


def _atom_at(k, t, i):
    """Item i of the simple vector k (of type t) as an atom of type -t."""
    if t == KS:
        return _made(lib.ks(ctypes.c_void_p.from_address(k._items() + 8 * i).value))
    x = _made(lib.ka(-t))
    size = _ITEM[t]
    ctypes.memmove(x + (16 if t == UU else 8), k._items() + size * i, size)
    return x


def _atom_of(v):
    """The atom of v's type holding v's one item; v is released."""
    t = ctypes.c_int8.from_address(v + 2).value
    x = lib.ka(-t)
    if x:
        ctypes.memmove(x + 8, v + 16, _ITEM[t])
    lib.r0(v)
    return _made(x)


def _copy_in(t, a):
    x = _made(lib.ktn(t, len(a)))
    if len(a):
        ctypes.memmove(x + 16, a.ctypes.data, a.nbytes)
    return x


def _pandas(x):
    import pandas as pd

    if isinstance(x, pd.Series):
        return _series(x)
    if isinstance(x, pd.DataFrame):
        keyed = not isinstance(x.index, pd.RangeIndex) or x.index.name is not None
        if keyed:
            nkeys = x.index.nlevels
            x = x.reset_index()
        if not keyed:
            return _table(x, list(x.columns))
        # Built as the dictionary of two tables it is (knt's ownership differs between
        # libraries: KX's leaves its argument, older libq-rs took it).
        keys = _table(x, list(x.columns[:nkeys]))
        try:
            values = _table(x, list(x.columns[nkeys:]))
        except BaseException:
            lib.r0(keys)
            raise
        return _made(lib.xD(keys, values))
    raise TypeError("cannot convert %s to q" % type(x).__name__)


def _table(df, columns):
    names = [str(c) for c in columns]
    cols = _made(lib.ktn(0, len(names)))
    slots = (ctypes.c_void_p * len(names)).from_address(cols + 16)
    try:
        for i, c in enumerate(columns):
            slots[i] = _series(df[c])
    except BaseException:
        lib.r0(cols)
        raise
    return _made(lib.xT(_made(lib.xD(_vector(KS, names), cols))))


def _series(s):
    import numpy as np

    if s.dtype.kind == "M" and getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_convert("UTC").dt.tz_localize(None)
    if str(s.dtype) in ("string", "str") or s.dtype == object:
        return _numpy(np.asarray(s, dtype=object))
    return _numpy(s.to_numpy())


def raise_os_error(code, msg):
    if code in (_errno.EAGAIN, _errno.ETIMEDOUT):
        raise TimeoutError(_errno.ETIMEDOUT, msg or os.strerror(_errno.ETIMEDOUT))
    raise OSError(code, msg or os.strerror(code))
