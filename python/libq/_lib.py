"""Loading libq.so and declaring the k.h functions this package calls (through ctypes, which
releases the GIL for the length of every call)."""

import ctypes
import os
import pathlib

K = ctypes.c_void_p


class GUID(ctypes.Structure):
    _fields_ = [("g", ctypes.c_ubyte * 16)]


def _candidates():
    """Where libq.so may be, in order: $LIBQ_SO, the copy bundled in this package, the release
    build of the checkout this package sits in, then the system's search path."""
    if os.environ.get("LIBQ_SO"):
        yield os.environ["LIBQ_SO"]
    here = pathlib.Path(__file__).resolve().parent
    yield str(here / "_lib" / "libq.so")
    for parent in here.parents:
        if (parent / "Cargo.toml").exists():
            yield str(parent / "target" / "release" / "libq.so")
            break
    yield "libq.so"


def _load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path + " (absent)")
            continue
        try:
            return ctypes.CDLL(path, use_errno=True), path
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise ImportError("libq.so not found; set LIBQ_SO to its path. Tried: " + "; ".join(tried))


lib, path = _load()

_signatures = {
    # name: (result, arguments)
    "ka": (K, [ctypes.c_int]),
    "kb": (K, [ctypes.c_int]),
    "kg": (K, [ctypes.c_int]),
    "kh": (K, [ctypes.c_int]),
    "ki": (K, [ctypes.c_int]),
    "kj": (K, [ctypes.c_longlong]),
    "ke": (K, [ctypes.c_double]),
    "kf": (K, [ctypes.c_double]),
    "kc": (K, [ctypes.c_int]),
    "ks": (K, [ctypes.c_void_p]),
    "kd": (K, [ctypes.c_int]),
    "kz": (K, [ctypes.c_double]),
    "kt": (K, [ctypes.c_int]),
    "ktj": (K, [ctypes.c_int, ctypes.c_longlong]),
    "ku": (K, [GUID]),
    "kpn": (K, [ctypes.c_char_p, ctypes.c_longlong]),
    "ktn": (K, [ctypes.c_int, ctypes.c_longlong]),
    "sn": (ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_int]),
    "xD": (K, [K, K]),
    "xT": (K, [K]),
    "r0": (None, [K]),
    "r1": (K, [K]),
    "ee": (K, [K]),
    "kx_k_array": (K, [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(K)]),
    "b9": (K, [ctypes.c_int, K]),
    "d9": (K, [K]),
    "kx_threading": (ctypes.c_int, [ctypes.c_int]),
    "khpunc": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]),
    "kclose": (None, [ctypes.c_int]),
    "qinit": (ctypes.c_int, [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p), ctypes.c_char_p,
                             ctypes.c_char_p, ctypes.c_char_p]),
}
for _name, (_res, _args) in _signatures.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args
