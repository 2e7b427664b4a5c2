"""libq: q in process and kdb+ connections for Python, over libq.so (libq-rs).

    import libq as kx
    kx.q("til 5").np()                       # numpy, no copy
    kx.q("{x+y}", 1, 2).py()                 # 3
    kx.q("select from t").pd()               # pandas
    with kx.SyncQConnection("localhost", 5000) as c:
        c("upd", "trade", df)

Any thread may call q: the library runs the engine on its own thread (dedicated mode) and
ctypes releases the GIL for the length of each call.
"""

import os

from ._lib import lib, path as library_path
from ._k import K, QError, deserialize, serialize, toq
from ._q import SyncQConnection, init, listen, q

__all__ = ["K", "QError", "SyncQConnection", "deserialize", "init", "library_path", "listen", "q",
           "serialize", "toq"]

# Dedicated mode, unless the environment chose a mode: the engine lives on the library's own
# thread, so Python threads (which the GIL moves between) all reach it the same way.
if "LIBQ_THREADING" not in os.environ:
    lib.kx_threading(1)
