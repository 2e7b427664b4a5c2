#!/usr/bin/env python3
"""Real kdb+ clients against the server under test (tests/server.rs starts it): PyKX 4.2 with
KX's own libe.so (unlicensed mode), aiokdb (an independent implementation of the protocol), a
browser-style HTTP GET (urllib) and a WebSocket client (websockets). Each check prints what it
saw, one line per fact; the Rust test compares the lines exactly.

usage: clients.py CHECK PORT [ARGS...]
"""

import asyncio
import os
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.request

os.environ.setdefault("PYKX_UNLICENSED", "true")


def pykx():
    import pykx as kx

    return kx


def check_pykx_sync(port):
    kx = pykx()
    with kx.SyncQConnection(port=port, no_ctx=True) as q:
        print(q("1+1").py())
        print(q("{x*y}", 6, 7).py())
        print(q("t").py())
        try:
            q("1+`a")
        except kx.QError as e:
            print("error", e)
        print(q(".z.w").py() > 0, q(".z.a").py() == 2130706433)
        # A large reply (80 MB) to a local peer; a large request too.
        print(q("count til 10000000").py(), q("{sum x}", kx.LongVector(list(range(100000)))).py())
        print(q("sum til 10000000").py())


def check_pykx_large(port, n):
    """A reply over 2 GB to KX's own IPC (PyKX's large_messages offers capability 6); without
    the capability the server answers 'limit. (Unlicensed PyKX cannot index a K vector, so the
    count and a query of the same vector's ends on the server stand for the bytes.)"""
    kx = pykx()
    n = int(n)
    with kx.SyncQConnection(port=port, large_messages=True, no_ctx=True) as q:
        r = q(f"{{@[x#0x2a;x-1;:;0x07]}}{n}")
        print(type(r).__name__, len(r) == n)
        del r
        print(q("1+1").py())
    with kx.SyncQConnection(port=port, large_messages=False, no_ctx=True) as q:
        try:
            q(f"{n}#0x2a")
        except kx.QError as e:
            print("error", e)


def check_pykx_async(port):
    kx = pykx()

    async def main():
        async with kx.AsyncQConnection(port=port, no_ctx=True) as q:
            print((await q("2+3")).py())
            for i in range(1000):
                await q("upd", kx.toq([i]), wait=False)
            print((await q("count u")).py(), (await q("sum u`v")).py())

    asyncio.run(main())


def check_pykx_user(port, user, password):
    kx = pykx()
    try:
        with kx.SyncQConnection(port=port, username=user, password=password, no_ctx=True) as q:
            print("in", q(".z.u").py())
    except Exception as e:
        print("refused", type(e).__name__)


def check_pykx_queries(port, credentials, *queries):
    """Each query's value (as Python prints it) or `error <name>`, a line each, logged in
    as `user:password` (or not, when empty)."""
    kx = pykx()
    user, _, password = credentials.partition(":")
    with kx.SyncQConnection(port=port, username=user, password=password, no_ctx=True) as q:
        for text in queries:
            try:
                print(repr(q(text).py()))
            except kx.QError as e:
                print("error", e)


def check_aiokdb(port):
    from aiokdb import cv, kj
    from aiokdb.client import open_qipc_connection

    async def main():
        r, w = await open_qipc_connection(port=port, user="alice")
        print((await w.sync_req(cv("1+1"))).aJ())
        print((await w.sync_req(cv("string .z.u"))).aS() if False else (await w.sync_req(cv(".z.u"))).aS())
        print((await w.sync_req(cv("til 3"))).kJ().tolist() if hasattr((await w.sync_req(cv("til 3"))).kJ(), "tolist") else list((await w.sync_req(cv("til 3"))).kJ()))
        # An async message, then a sync one on the same connection: answered in order.
        w.write(cv("zz:77"), 0)
        print((await w.sync_req(cv("zz"))).aJ())
        w.writer.close()

    asyncio.run(main())


def check_http(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/?t", timeout=10) as r:
        body = r.read().decode()
        print(r.status, r.headers["Content-Type"])
        print("<pre>" in body, "1 a" in body and "3 c" in body)
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/?1+%60a", timeout=10)
    except urllib.error.HTTPError as e:
        print(e.code, e.read().decode().strip())
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/nofile.txt", timeout=10)
    except urllib.error.HTTPError as e:
        print(e.code)
    req = urllib.request.Request(f"http://127.0.0.1:{port}/upd", data=b"abc", method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        print(r.status, r.read().decode())


def check_websocket(port):
    import websockets.sync.client as ws

    with ws.connect(f"ws://127.0.0.1:{port}/", open_timeout=10) as c:
        c.send("hello")
        print(c.recv(timeout=10))
        c.send(b"\x01\x02")
        print(c.recv(timeout=10))
        print("wo", value(ask(port, b"wo>0")))
    deadline = time.time() + 10
    while value(ask(port, b"wc=0i")) == "true":
        if time.time() > deadline:
            break
        time.sleep(0.02)
    print("wo=wc", value(ask(port, b"wo=wc")))


def login(port, cred=b"", cap=3):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(cred + bytes([cap, 0]))
    return s, s.recv(1)


def sync_msg(text):
    body = struct.pack("<bBI", 10, 0, len(text)) + text
    return struct.pack("<BBBBI", 1, 1, 0, 0, 8 + len(body)) + body


def read_msg(s):
    head = b""
    while len(head) < 8:
        chunk = s.recv(8 - len(head))
        if not chunk:
            raise EOFError
        head += chunk
    n = struct.unpack("<I", head[4:8])[0]
    body = b""
    while len(body) < n - 8:
        chunk = s.recv(n - 8 - len(body))
        if not chunk:
            raise EOFError
        body += chunk
    return head, body


def ask(port, text):
    s, cap = login(port)
    s.sendall(sync_msg(text))
    _, body = read_msg(s)
    s.close()
    return body


def check_faults(port):
    # Each fault is made while a healthy client stays connected; it must be answered after each.
    healthy, cap = login(port)
    print("capability", cap[0])

    def healthy_ok():
        healthy.sendall(sync_msg(b"1+1"))
        _, body = read_msg(healthy)
        return body == struct.pack("<bq", -7, 2)

    # Garbage login: no NUL, over the bound, then closed by the server.
    g = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        g.sendall(b"x" * 70000)
        g.settimeout(10)
        print("garbage login closed", g.recv(1) == b"")
    except (ConnectionResetError, BrokenPipeError):
        print("garbage login closed", True)
    print("healthy", healthy_ok())
    # A header that lies about its length (2 GB) and sends nothing more; then vanishes.
    s, _ = login(port)
    s.sendall(struct.pack("<BBBBI", 1, 1, 0, 0, 0x7FFFFFF0) + b"\x0a\x00")
    print("healthy", healthy_ok())
    s.close()
    # A bad byte-order byte: the connection is dropped.
    s, _ = login(port)
    s.sendall(b"\x07\x01\x00\x00\x10\x00\x00\x00" + b"\x00" * 8)
    s.settimeout(10)
    try:
        print("bad header closed", s.recv(1) == b"")
    except ConnectionResetError:
        print("bad header closed", True)
    # Half a message, then the client vanishes.
    s, _ = login(port)
    s.sendall(sync_msg(b"til 1000")[:10])
    s.close()
    print("healthy", healthy_ok())
    # A body that does not decode: answered with an error, the connection stays usable.
    s, _ = login(port)
    bad = struct.pack("<BBBBI", 1, 1, 0, 0, 8 + 6) + b"\x7f\x00\x00\x00\x00\x00"
    s.sendall(bad)
    _, body = read_msg(s)
    print("bad body answered", body[0] == 0x80)
    s.sendall(sync_msg(b"2+2"))
    _, body = read_msg(s)
    print("then", struct.unpack("<bq", body)[1])
    s.close()
    # A slow reader: asks for 50 large replies and reads none; others are served meanwhile.
    slow, _ = login(port)
    for _ in range(50):
        slow.sendall(sync_msg(b"til 1000000"))
    time.sleep(0.5)
    print("healthy", healthy_ok())
    slow.close()
    print("healthy", healthy_ok())
    # A login arriving one byte at a time.
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    for b in b"bob:pw\x03\x00":
        s.sendall(bytes([b]))
        time.sleep(0.01)
    print("trickled login", s.recv(1))
    s.close()
    healthy.close()


def check_load(port, clients, requests):
    clients, requests = int(clients), int(requests)
    errors = []

    def worker(i):
        try:
            s, _ = login(port)
            for j in range(requests):
                s.sendall(sync_msg(b"%d+%d" % (i, j)))
                _, body = read_msg(s)
                if body != struct.pack("<bq", -7, i + j):
                    errors.append((i, j, body))
            s.close()
        except Exception as e:  # noqa: BLE001
            errors.append((i, repr(e)))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    print("errors", len(errors), errors[:3])


def check_flood(port, n):
    # Async updates as fast as the socket takes them, then one sync count: none lost.
    n = int(n)
    s, _ = login(port)
    before = struct.unpack("<bq", ask(port, b"count u"))[1]
    msgs = []
    for i in range(n):
        text = b"upd enlist %d" % i
        body = struct.pack("<bBI", 10, 0, len(text)) + text
        msgs.append(struct.pack("<BBBBI", 1, 0, 0, 0, 8 + len(body)) + body)
    s.sendall(b"".join(msgs))
    s.sendall(sync_msg(b"count u"))
    _, body = read_msg(s)
    print("updates", struct.unpack("<bq", body)[1] - before)


def check_connections(port, n):
    n = int(n)
    socks = []
    for _ in range(n):
        s, cap = login(port)
        if cap == b"":
            break
        socks.append(s)
    print("held", len(socks))
    last = socks[-1]
    last.sendall(sync_msg(b"count .z.W"))
    _, body = read_msg(last)
    print("server sees at least", struct.unpack("<bq", body)[1] >= n)
    for s in socks:
        s.close()


def value(body):
    """A few atoms and errors of a response body, as text."""
    t = struct.unpack("<b", body[:1])[0]
    if t == -128:
        return "'" + body[1:-1].decode()
    if t == -7:
        return str(struct.unpack("<q", body[1:9])[0])
    if t == -1:
        return str(body[1] == 1).lower()
    return "type %d" % t


def check_threaded(port):
    # Multithreaded input mode: reads in parallel, no writes, no sends, no .z.po.
    print("sum", value(ask(port, b"sum t`x")))
    print("write", value(ask(port, b"a:2")))
    print("limit", value(ask(port, b'system"w 100"')))
    print("po called", value(ask(port, b"po")))
    print("send", value(ask(port, b"neg[.z.w] 1")))
    print("main sockets", value(ask(port, b"count .z.W")))
    # The timer updates a global on the main thread (the write side) while clients read.
    first = int(value(ask(port, b"ticks")))
    deadline = time.time() + 10
    while int(value(ask(port, b"ticks"))) < first + 3 and time.time() < deadline:
        time.sleep(0.02)
    print("ticks advance", int(value(ask(port, b"ticks"))) >= first + 3)
    # Each connection draws from its own generator.
    s1, _ = login(port)
    s1.sendall(sync_msg(b"10?1000"))
    _, a = read_msg(s1)
    s1.sendall(sync_msg(b"10?1000"))
    _, b = read_msg(s1)
    print("own generator", a != b)
    s1.close()
    # Parallel readers.
    check_load(port, 8, 100)
    # 1020 connections at most: the next is closed before its login is answered.
    socks = []
    for _ in range(1020):
        s, cap = login(port)
        socks.append(s)
    print("held", len(socks), all(s is not None for s in socks))
    extra = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        extra.sendall(b"\x03\x00")
        print("1021st refused", extra.recv(1) == b"")
    except (ConnectionResetError, BrokenPipeError):
        print("1021st refused", True)
    socks[0].sendall(sync_msg(b"1+1"))
    _, body = read_msg(socks[0])
    print("held ones still served", value(body))
    for s in socks:
        s.close()


def check_exhaust(port, pid):
    # The server runs out of descriptors: it neither spins nor stops serving once some close.
    def cpu():
        f = open(f"/proc/{pid}/stat").read().split(")")[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    socks = []
    for _ in range(200):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            socks.append(s)
        except OSError:
            break
    c0 = cpu()
    time.sleep(1.0)
    print("spins", cpu() - c0 > 0.5)
    for s in socks:
        s.close()
    time.sleep(0.3)
    print("serves again", value(ask(port, b"1+1")))


CHECKS = {k[len("check_"):]: v for k, v in globals().items() if k.startswith("check_")}

if __name__ == "__main__":
    check, port, *rest = sys.argv[1:]
    CHECKS[check](int(port), *rest)
    sys.stdout.flush()
