#!/usr/bin/env python3
"""A small kdb+ IPC server for the network tests, built on aiokdb's serializer (an independent
implementation of kdb+'s wire format). It does not evaluate q: it answers a fixed set of
requests, enough to exercise a client.

Requests (the string itself, or the first item of a general list (string; args...)):
  "2+2"          -> 4 (long)
  "til 5"        -> 0 1 2 3 4 (longs)
  "'NAME"        -> the error 'NAME
  "echo" x       -> x
  "count" x      -> the count of vector x (long)
  "big" n        -> a byte vector of n bytes, byte i = i mod 251
  "compressed"   -> 100000 bytes of zeros, sent compressed
  "capability"   -> the capability agreed at login (int)
  "user"         -> the user name sent at login (string)
  "last_async"   -> the last async message received (:: if none)
  "notify"       -> (async request) the server sends the async message "notified" back
  "close_mid"    -> the server writes half a response and closes the connection
  "hang"         -> no answer, ever
  "hangs"        -> how many "hang" requests this server has received (long)

Options: --port N (0: any free port; the line "PORT n" is printed once listening),
--password P (logins with another password are refused by closing the connection),
--unix (also listen on kdb+'s abstract Unix socket @/tmp/kx.PORT),
--tls-dir D (serve TLS only; a CA and a server certificate for localhost, 127.0.0.1 and ::1
are made with trustme, and the CA is written to D/ca.pem), --capability C (what the server
supports; the answer at login is the minimum of the client's and this).
"""

import argparse
import array
import asyncio
import os
import ssl
import struct
import sys

import aiokdb
from aiokdb import KByteArray, KLongArray, MessageType, b9, cv, d9, kNil, ki, kj, krr, ktn, TypeEnum
from aiokdb.compress import compress


# aiokdb packs vectors item by item; a 100 MB echo needs the buffer written directly.
def _bytes_direct(self):
    return struct.pack("<bBI", self.t, self.attrib, len(self._g)) + self._g.tobytes()


def _longs_direct(self):
    return struct.pack("<bBI", self.t, self.attrib, len(self._j)) + self._j.tobytes()


KByteArray._databytes = _bytes_direct
KLongArray._databytes = _longs_direct


class Session:
    def __init__(self, reader, writer, user, capability):
        self.reader = reader
        self.writer = writer
        self.user = user
        self.capability = capability
        self.last_async = kNil


HANGS = 0


def frame(k, msgtype):
    return b9(k, msgtype=msgtype)


def compressed_frame(k, msgtype):
    plain = b9(k, msgtype=msgtype)
    # aiokdb compresses the body (after the header), prefixed with the uncompressed length.
    body = compress(plain[8:])
    if body is None:
        return plain
    # Header: little-endian, type, compressed flag, then the compressed total length.
    return struct.pack("<BBHI", 1, msgtype, 1, 8 + len(body)) + body


def request_parts(cmd):
    if cmd.t == TypeEnum.KC:
        return cmd.aS(), []
    if cmd.t == TypeEnum.K and len(cmd) > 0 and cmd.kK()[0].t == TypeEnum.KC:
        return cmd.kK()[0].aS(), list(cmd.kK()[1:])
    return None, []


async def answer(session, cmd):
    """The response bytes for a sync request, or None for no response."""
    name, args = request_parts(cmd)
    if name == "2+2":
        return frame(kj(4), MessageType.RESPONSE)
    if name == "til 5":
        v = ktn(TypeEnum.KJ)
        v._j = array.array("q", range(5))
        return frame(v, MessageType.RESPONSE)
    if name is not None and name.startswith("'"):
        return frame(krr(name[1:]), MessageType.RESPONSE)
    if name == "echo" and len(args) == 1:
        return frame(args[0], MessageType.RESPONSE)
    if name == "count" and len(args) == 1:
        return frame(kj(len(args[0])), MessageType.RESPONSE)
    if name == "big" and len(args) == 1:
        n = args[0].aJ()
        v = ktn(TypeEnum.KG)
        pattern = bytes(range(251))
        v._g = array.array("B", (pattern * (n // 251 + 1))[:n])
        return frame(v, MessageType.RESPONSE)
    if name == "compressed":
        v = ktn(TypeEnum.KG)
        v._g = array.array("B", bytes(100000))
        return compressed_frame(v, MessageType.RESPONSE)
    if name == "capability":
        return frame(ki(session.capability), MessageType.RESPONSE)
    if name == "user":
        return frame(cv(session.user), MessageType.RESPONSE)
    if name == "last_async":
        return frame(session.last_async, MessageType.RESPONSE)
    if name == "close_mid":
        full = frame(ktn(TypeEnum.KJ, 1000), MessageType.RESPONSE)
        return full[: len(full) // 2] + b"CLOSE"
    if name == "hang":
        global HANGS
        HANGS += 1
        return None
    if name == "hangs":
        return frame(kj(HANGS), MessageType.RESPONSE)
    return frame(krr("nyi"), MessageType.RESPONSE)


async def serve_messages(session):
    r, w = session.reader, session.writer
    while True:
        head = await r.readexactly(8)
        _, msgtype, _, length = struct.unpack("<BBHI", head)
        body = await r.readexactly(length - 8)
        cmd = d9(head + body)
        if msgtype == MessageType.SYNC:
            out = await answer(session, cmd)
            if out is None:
                continue
            if out.endswith(b"CLOSE"):
                w.write(out[:-5])
                await w.drain()
                w.close()
                return
            w.write(out)
            await w.drain()
        elif msgtype == MessageType.ASYNC:
            session.last_async = cmd
            name, _ = request_parts(cmd)
            if name == "notify":
                w.write(frame(cv("notified"), MessageType.ASYNC))
                await w.drain()


async def handle(reader, writer, password, server_capability):
    try:
        login = await reader.readuntil(b"\x00")
        if len(login) >= 2 and login[-2] < 32:
            client_capability, creds = login[-2], login[:-2].decode()
        else:
            client_capability, creds = 0, login[:-1].decode()
        user, _, given = creds.partition(":")
        if password is not None and given != password:
            writer.close()
            return
        capability = min(client_capability, server_capability)
        writer.write(bytes([capability]))
        await writer.drain()
        await serve_messages(Session(reader, writer, user, capability))
    except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
        pass
    except Exception as e:
        # Said where the test's output shows it: the connection closes, the client sees it.
        print("kdb_server.py: %r ends the connection" % e, file=sys.stderr, flush=True)
    finally:
        writer.close()


def tls_context(directory):
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1", "::1")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    ca.cert_pem.write_to_path(os.path.join(directory, "ca.pem"))
    return ctx


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--password")
    p.add_argument("--unix", action="store_true")
    p.add_argument("--tls-dir")
    p.add_argument("--capability", type=int, default=3)
    a = p.parse_args()

    def on_connect(r, w):
        return handle(r, w, a.password, a.capability)

    ctx = tls_context(a.tls_dir) if a.tls_dir else None
    # Large reads: the stream's buffer limit must not cap a 100 MB message.
    server = await asyncio.start_server(on_connect, "127.0.0.1", a.port, ssl=ctx, limit=1 << 20)
    port = server.sockets[0].getsockname()[1]
    servers = [server]
    if a.unix:
        servers.append(await asyncio.start_unix_server(on_connect, "\0/tmp/kx.%d" % port))
    print("PORT %d" % port, flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
