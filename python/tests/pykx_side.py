"""Run by test_pykx.py in a process of its own (PyKX loads KX's libraries, which must not meet
libq.so in one process). Reads a pickle {"values": [...], "messages": [...]} on stdin; writes a
pickle of PyKX's serialized bytes of toq(value) for each value, and of .py(), .np() and .pd()
of each message PyKX deserializes."""

import os
import pickle
import sys

os.environ.setdefault("PYKX_UNLICENSED", "true")
import pykx as kx  # noqa: E402

job = pickle.loads(sys.stdin.buffer.read())
out = {"toq": [], "convert": []}
for value in job["values"]:
    try:
        out["toq"].append(kx.serialize(kx.toq(value)).copy())
    except Exception as e:  # noqa: BLE001 - failures are compared too
        out["toq"].append("error: %s" % type(e).__name__)
for data in job["messages"]:
    k = kx.deserialize(data)
    conv = {}
    for how in ("py", "np", "pd"):
        try:
            conv[how] = getattr(k, how)()
        except Exception as e:  # noqa: BLE001
            conv[how] = "error: %s" % type(e).__name__
    out["convert"].append(conv)
sys.stdout.buffer.write(pickle.dumps(out))
