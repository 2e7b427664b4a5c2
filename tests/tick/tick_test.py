#!/usr/bin/env python3
"""kdb+tick as KX publishes it (tick.q, tick/u.q, tick/r.q from ../shared/kdb-tick, run as they
are) on our q console: a tickerplant, an RDB, an HDB and a subscriber, each a process started as
tick.q's header starts them (q tick.q sym . -p P1; q tick/r.q :P1 :P3 -p P2; q sym -p P3), on loopback ports that were free, with a feed in q (feed.q) and one in PyKX 4.2
(KX's libe.so, unlicensed mode), which also queries the RDB and the HDB while the feed runs.

usage: tick_test.py Q_BINARY    (scripts/test.sh builds target/release/q and runs this)

Checks, in order: 100,000 trades fed one a message reach the RDB all, in order, and a
subscriber for two syms gets those only; the RDB killed and started again replays the log to the
same rows; the tickerplant killed mid-feed and started again has lost nothing acknowledged (the
restarted RDB replays every acknowledged trade); end of day writes the date partition, the HDB
reloads and counts by date what was fed, and the tickerplant rolls its log. Every process is
stopped at the end, or when a check fails; every wait is bounded.
"""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

os.environ.setdefault("PYKX_UNLICENSED", "true")
import pykx as kx  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("LIBQ_SHARED", os.path.join(HERE, "..", "..", "..", "shared"))
KDB_TICK = os.path.join(SHARED, "kdb-tick")

SCHEMA = """\
quote:([]time:`timespan$();sym:`g#`symbol$();bid:`float$();ask:`float$();bsize:`long$();asize:`long$())
trade:([]time:`timespan$();sym:`g#`symbol$();price:`float$();size:`long$())
"""

SYMS = "abcdefgh"
WAIT = 60.0  # the longest any one step may take, in seconds


class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A q process of the test: started with stdin at end of file, as servers are run."""

    def __init__(self, name, q, args, cwd, procs):
        self.name = name
        self.log_path = os.path.join(cwd, f"{name}.log")
        log = open(self.log_path, "ab")
        self.p = subprocess.Popen(
            [q, *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        procs.append(self)

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")[-3000:]

    def kill(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGKILL)
        self.p.wait()


def until(what, f, limit=WAIT):
    deadline = time.monotonic() + limit
    while True:
        v = f()
        if v:
            return v
        if time.monotonic() > deadline:
            raise Failure(f"timed out waiting for {what}")
        time.sleep(0.05)


def connect(port, proc=None):
    def attempt():
        if proc is not None and proc.p.poll() is not None:
            raise Failure(f"{proc.name} exited ({proc.p.returncode}):\n{proc.log()}")
        try:
            return kx.SyncQConnection(host="127.0.0.1", port=port, no_ctx=True)
        except Exception:
            return None

    return until(f"port {port}", attempt)


def check(what, got, want):
    if got != want:
        raise Failure(f"{what}: got {got!r}, want {want!r}")
    print(f"ok  {what}")


class Tick:
    def __init__(self, q, work, procs):
        self.q = q
        self.work = work
        self.procs = procs
        self.feeds = []
        # As tick.q's header has it: the log in the working directory (`.`), the HDB in `sym`.
        self.hdb_dir = os.path.join(work, "sym")
        self.ports = {n: free_port() for n in ("tp", "rdb", "hdb", "sub")}
        # The layout users have: tick.q beside tick/ (u.q, r.q and the schema sym.q).
        os.symlink(os.path.join(KDB_TICK, "tick.q"), os.path.join(work, "tick.q"))
        os.mkdir(os.path.join(work, "tick"))
        for f in ("u.q", "r.q"):
            os.symlink(os.path.join(KDB_TICK, "tick", f), os.path.join(work, "tick", f))
        with open(os.path.join(work, "tick", "sym.q"), "w") as f:
            f.write(SCHEMA)
        # r.q saves the day into the log directory's `sym` (its "cd to hdb"): the HDB's root.
        os.mkdir(self.hdb_dir)

    def start(self, name, *args):
        return Proc(name, self.q, [str(a) for a in args], self.work, self.procs)

    def start_tp(self):
        self.tp = self.start("tp", "tick.q", "sym", ".", "-p", self.ports["tp"])
        self.tpc = connect(self.ports["tp"], self.tp)

    def start_rdb(self):
        p = self.ports
        self.rdb = self.start("rdb", "tick/r.q", f":{p['tp']}", f":{p['hdb']}", "-p", p["rdb"])
        self.rdbc = connect(p["rdb"], self.rdb)
        # Subscribed: the RDB is among the tickerplant's subscribers to trade.
        until("the RDB to subscribe", lambda: self.rdbc("`trade in tables[]").py())

    def start_hdb(self):
        self.hdb = self.start("hdb", "sym", "-p", self.ports["hdb"])
        self.hdbc = connect(self.ports["hdb"], self.hdb)

    def subscribers(self, table):
        return self.tpc(f"count .u.w`{table}").py()

    def feed(self, lo, n, batch, ack):
        """A q feed process; its output lines ("acked K") come back through a pipe."""
        p = subprocess.Popen(
            [self.q, os.path.join(HERE, "feed.q"), str(self.ports["tp"]), str(lo), str(n),
             str(batch), str(ack)],
            cwd=self.work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )
        self.feeds.append(p)
        return p

    def stop(self):
        for p in self.procs:
            p.kill()
        for p in self.feeds:
            p.kill()
            p.wait()


def wait_feed(feed, what):
    try:
        out, _ = feed.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        feed.kill()
        raise Failure(f"{what}: the feed took longer than {WAIT}s")
    if feed.returncode != 0:
        raise Failure(f"{what}: the feed exited {feed.returncode}:\n{out[-2000:]}")
    return out


def rows_in_order(c, table, n):
    """Whether `table` holds trades 0..n-1 in order, as feed.q made them."""
    return c(
        f"{{[t;n](n=count t)&((til n)~exec size from t)&(exec sym from t)~"
        f"`{'`'.join(SYMS)} (til n)mod 8}}[{table};{n}]"
    ).py()


def pykx_quotes(port, n):
    """PyKX feeds n quotes by asynchronous .u.upd, 100 rows a message."""
    with kx.SyncQConnection(host="127.0.0.1", port=port, no_ctx=True) as c:
        for lo in range(0, n, 100):
            idx = range(lo, min(lo + 100, n))
            cols = [
                kx.SymbolVector([SYMS[i % 8] for i in idx]),
                kx.FloatVector([i / 100 for i in idx]),
                kx.FloatVector([i / 100 + 0.01 for i in idx]),
                kx.LongVector(list(idx)),
                kx.LongVector([i + 1 for i in idx]),
            ]
            c(".u.upd", kx.SymbolAtom("quote"), cols, wait=False)
        c("")  # every quote before this is in the tickerplant


def run(q, procs):
    work = tempfile.mkdtemp(prefix="libq-tick-")
    t = Tick(q, work, procs)
    ok = False
    try:
        t.start_tp()
        t.start_hdb()
        t.start_rdb()
        p = t.ports
        t.start("sub", os.path.join(HERE, "sub.q"), p["tp"], "trade", "a,b", "-p", p["sub"])
        subc = connect(p["sub"], t.procs[-1])
        until("two subscribers to trade", lambda: t.subscribers("trade") == 2)

        # ---- quotes from PyKX, 100 rows a message
        pykx_quotes(p["tp"], 1000)
        until("1000 quotes in the RDB", lambda: t.rdbc("count quote").py() == 1000)
        check("PyKX's quotes in the RDB, in order",
              t.rdbc("(til 1000)~exec bsize from quote").py(), True)

        # ---- 100,000 trades, one a message, while PyKX queries the RDB and the HDB
        n = 100_000
        feed = t.feed(0, n, 1, 10_000)
        seen, queries = [], 0
        while feed.poll() is None:
            seen.append(t.rdbc("count trade").py())
            t.hdbc("tables[]")
            queries += 1
            time.sleep(0.01)
        wait_feed(feed, "100,000 trades")
        until("100,000 trades in the RDB", lambda: t.rdbc("count trade").py() == n)
        check("PyKX queried the RDB and the HDB during the feed", queries > 0, True)
        check("the RDB's count never went back during the feed", seen == sorted(seen), True)
        check("the RDB holds the 100,000 trades in order", rows_in_order(t.rdbc, "trade", n), True)
        want_ab = n // 4
        until("the subscriber's trades", lambda: subc("count trade").py() >= want_ab)
        check("the subscriber for `a`b got those syms only",
              subc("(asc distinct exec sym from trade),count trade").py(), ["a", "b", want_ab])
        check("the subscriber's trades are in order",
              subc(f"(exec size from trade)~where((til {n})mod 8)in 0 1").py(),
              True)
        check("the tickerplant logged every message", t.tpc(".u.i").py(), 10 + n)

        # ---- the RDB killed and started again replays the tickerplant's log
        before = t.rdbc("-8!(trade;quote)").py()
        t.rdb.kill()
        until("the dead RDB to leave .u.w", lambda: t.subscribers("trade") == 1)
        t.start_rdb()
        check("the restarted RDB replayed the same rows", t.rdbc("-8!(trade;quote)").py(), before)

        # ---- the tickerplant killed mid-feed and started again
        feed = t.feed(n, 50_000, 1, 1_000)
        acked = n
        for line in feed.stdout:
            if line.startswith("acked "):
                acked = int(line.split()[1])
                if acked >= n + 20_000:
                    break
        t.tp.kill()
        feed.kill()
        feed.wait()
        t.start_tp()
        logged = t.tpc(".u.i").py()
        check("the restarted tickerplant's log holds every acknowledged trade",
              logged >= 10 + acked, True)
        t.rdb.kill()
        t.start_rdb()
        have = t.rdbc("count trade").py()
        check("the RDB replays every acknowledged trade", have >= acked, True)
        check("the replayed trades are the feed's, in order",
              rows_in_order(t.rdbc, "trade", have), True)
        # The feed goes on from the first trade the tickerplant does not have.
        wait_feed(t.feed(have, n + 50_000 - have, 1, 1_000), "the rest of the feed")
        total = n + 50_000
        until("every trade in the RDB", lambda: t.rdbc("count trade").py() == total)
        check("the RDB holds every trade in order", rows_in_order(t.rdbc, "trade", total), True)

        # ---- end of day
        day = t.tpc(".u.d").py()
        old_log = t.tpc("string .u.L").py().decode()
        t.tpc(".u.endofday[]")
        until("the RDB to save the day", lambda: t.rdbc("count trade").py() == 0)
        until("the HDB to reload", lambda: t.hdbc("`trade in tables[]").py())
        by_date = t.hdbc("exec date!x from select count i by date from trade").py()
        check("the HDB's select count i by date from trade", by_date, {day: total})
        check("the HDB's quotes", t.hdbc("count quote").py(), 1000)
        # .Q.hdpf sorts the day by sym (stably), enumerated against the HDB's sym file.
        check("the partition's trades are the feed's, by sym in order",
              t.hdbc(f"(iasc(til {total})mod 8)~exec size from trade").py(), True)
        check("the partition's sym column is enumerated against the HDB's sym",
              t.hdbc(f"(type;{{key x}})@\\:get`:{day:%Y.%m.%d}/trade/sym").py(), [20, "sym"])
        new_log = t.tpc("string .u.L").py().decode()
        check("the tickerplant rolled its log to the next day",
              (new_log != old_log, t.tpc(".u.d").py() == day + datetime.timedelta(days=1),
               t.tpc(".u.i").py()), (True, True, 0))
        check("the next day's log is on disk",
              os.path.exists(os.path.join(work, new_log.lstrip(":"))), True)

        # ---- after the day: the HDB answers while the RDB fills again
        feed = t.feed(0, 10_000, 100, 1_000)
        while feed.poll() is None:
            check_hdb = t.hdbc("count trade").py()
            if check_hdb != total:
                raise Failure(f"the HDB's trade count moved to {check_hdb}")
            t.rdbc("count trade")
            time.sleep(0.01)
        wait_feed(feed, "the next day's trades in 100-row messages")
        until("the next day's trades", lambda: t.rdbc("count trade").py() == 10_000)
        check("the next day's trades in order", rows_in_order(t.rdbc, "trade", 10_000), True)
        errors = [f"{p.name}: {line}" for p in t.procs for line in p.log().splitlines()
                  if line.lstrip("q)").startswith("'")]
        check("no process printed an error", errors, [])
        ok = True
    except Exception as e:
        print(f"FAIL {type(e).__name__}: {e}")
        for p in t.procs:
            print(f"--- {p.name} (exit {p.p.poll()}):\n{p.log()}")
    finally:
        t.stop()
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"(left in {work})")
    return ok


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    procs = []

    def overrun():
        print("FAIL the whole run took longer than 600s")
        for p in procs:
            p.kill()
        os._exit(3)

    # The whole run is bounded too, whatever hangs.
    timer = threading.Timer(600, overrun)
    timer.daemon = True
    timer.start()
    ok = run(os.path.abspath(sys.argv[1]), procs)
    sys.exit(0 if ok else 1)
