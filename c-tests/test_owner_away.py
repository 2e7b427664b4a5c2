"""A Python host through ctypes, default mode, no kx_serve: the main thread calls qinit, then
joins threading.Thread workers (outside the library) while 16 of them call
k(0, "cnt+:1", (K)0); every call runs, the count is exact, nothing waits for the main thread.
Run by ctest as: python3 test_owner_away.py path/to/libq.so"""
import ctypes
import sys
import threading

lib = ctypes.CDLL(sys.argv[1])


class K0(ctypes.Structure):
    # KX's k0 header: m, a, t (signed char), u (char), r (int), then the 8-byte union.
    _fields_ = [("m", ctypes.c_byte), ("a", ctypes.c_byte), ("t", ctypes.c_byte),
                ("u", ctypes.c_char), ("r", ctypes.c_int), ("j", ctypes.c_longlong)]


K = ctypes.POINTER(K0)
lib.qinit.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
lib.qinit.restype = ctypes.c_int
# k is variadic: the array form takes the arguments as (n, K*).
lib.kx_k_array.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
lib.kx_k_array.restype = K
lib.r0.argtypes = [K]


def q_long(src):
    r = lib.kx_k_array(0, src, 0, None)
    assert r, src
    t, j = r.contents.t, r.contents.j
    lib.r0(r)
    assert t == -7, (src, t)  # a long atom
    return j


assert lib.qinit(0, None, None, None, None) == 0  # this (main) thread owns the engine
q_long(b"cnt:0")
THREADS, CALLS = 16, 300
errors = []


def worker():
    try:
        for _ in range(CALLS):
            q_long(b"cnt+:1")
    except Exception as e:  # noqa: BLE001 - report any failure from the thread
        errors.append(e)


threads = [threading.Thread(target=worker) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join(timeout=120)
    assert not t.is_alive(), "a worker hung"
assert not errors, errors
n = q_long(b"cnt")
print(f"{THREADS} threads x {CALLS} calls: cnt {n}")
assert n == THREADS * CALLS, n
