"""Evaluating q: the embedded engine (q), and connections to kdb+ servers."""

import ctypes
import os
import socket
import struct
import threading

from ._k import K, KERR, QError, _pending, _text, _toq, raise_os_error
from ._lib import lib


def _call(h, expr, args):
    """k(h, expr, args...): the result as a K; q errors raise QError, a failed connection
    OSError (ConnectionError, TimeoutError...)."""
    ptrs = []
    try:
        for a in args:
            ptrs.append(_toq(a))
    except BaseException:
        for p in ptrs:
            lib.r0(p)
        raise
    argv = (ctypes.c_void_p * max(len(ptrs), 1))(*ptrs)
    text = expr.encode("utf-8") if isinstance(expr, str) else expr
    ctypes.set_errno(0)
    r = lib.kx_k_array(h, text, len(ptrs), argv)
    if not r:
        code = ctypes.get_errno()
        msg = _pending()
        if h == 0 or not code:
            raise QError(msg)
        raise_os_error(code, msg)
    if ctypes.c_int8.from_address(r + 2).value == KERR:
        msg = _text(ctypes.c_void_p.from_address(r + 8).value)
        lib.r0(r)
        raise QError(msg)
    return K(r)


class _Q:
    """q("expr", *args) evaluates in the embedded engine (with args: applies expr to them);
    q.name(*args) calls the q function name, as in PyKX (q.til(5))."""

    def __call__(self, expr, *args):
        return _call(0, expr, args)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)

        def apply(*args):
            return _call(0, name, args)

        apply.__name__ = name
        return apply


q = _Q()


def init(*args):
    """Starts the embedded engine with q's command-line options (init("-s", "4")); optional,
    the engine starts by itself at its first use."""
    argv = (ctypes.c_char_p * (len(args) + 1))(b"python", *[a.encode() for a in args])
    if lib.qinit(len(args) + 1, argv, None, None, None) < 0:
        raise QError(_pending())


def listen(port):
    """Makes the embedded engine a kdb+ server on port (q's \\p); 0 stops listening."""
    q("system", b"p %d" % int(port))


class SyncQConnection:
    """A connection to a kdb+ server (PyKX's SyncQConnection): conn("expr", *args) sends a
    synchronous request and returns the answer; wait=False sends it asynchronously. timeout
    (seconds) bounds connecting and each answer; a call that times out closes the connection.
    Several threads may share it: their calls take turns."""

    def __init__(self, host="localhost", port=None, *, username="", password="", timeout=0.0,
                 tls=False):
        if port is None:
            raise TypeError("port is required")
        credentials = "%s:%s" % (username, password) if password else username
        ctypes.set_errno(0)
        ms = int(timeout * 1000) if timeout else 0
        h = lib.khpunc(host.encode(), int(port), credentials.encode(), ms, 2 if tls else 0)
        if h == 0:
            _pending()
            raise QError("access")
        if h < 0:
            code = ctypes.get_errno()
            msg = _pending()
            if h == -2:
                raise TimeoutError(code or 110, msg or "timeout")
            raise_os_error(code or 5, msg)
        self._h = h
        # Calls in flight, so that close() gives the handle back only after the last one: the
        # number could otherwise be reused by a new connection under a call still starting.
        self._lock = threading.Lock()
        self._busy = 0
        self._closing = False
        if timeout:
            # The library's blocking read ends when a socket timeout the host set passes.
            s = socket.socket(fileno=os.dup(h))
            tv = struct.pack("ll", int(timeout), int((timeout % 1) * 1e6))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, tv)
            s.close()

    def __call__(self, expr, *args, wait=True):
        h = self._enter()
        try:
            if wait:
                return _call(h, expr, args)
            _call(-h, expr, args).release()
            return None
        finally:
            self._exit()

    def receive(self):
        """The next message the server sends (a subscription's update, say)."""
        h = self._enter()
        try:
            return _call(h, None, ())
        finally:
            self._exit()

    def fileno(self):
        if not getattr(self, "_h", 0):
            raise ValueError("connection closed")
        return self._h

    def _enter(self):
        with self._lock:
            if not self._h or self._closing:
                raise ValueError("connection closed")
            self._busy += 1
            return self._h

    def _exit(self):
        with self._lock:
            self._busy -= 1
            if self._closing and self._busy == 0:
                self._give_back()

    def _give_back(self):
        h, self._h = self._h, 0
        lib.kclose(h)

    def close(self):
        """Closes the connection; calls in flight on other threads end with an error."""
        if not getattr(self, "_h", 0):
            return
        with self._lock:
            if not self._h or self._closing:
                return
            self._closing = True
            if self._busy == 0:
                self._give_back()
                return
            # Wake the calls in flight; the last one to leave gives the handle back.
            s = socket.socket(fileno=os.dup(self._h))
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()
