#!/usr/bin/env python3
"""kdb+tick's figures on our q console (scripts/bench-tick.sh runs this): KX's tick.q and
tick/r.q as published, a tickerplant with its log and an RDB, fed by a q process on loopback.
Each figure stands beside a baseline measured in the same run, between processes of the same
binary:

- updates/s feed -> tickerplant -> RDB (every update in the RDB), one row a message and 100 rows
  a message, beside the raw async IPC rate of the same messages into a process that does
  nothing with them, and beside the tickerplant's own logging rate (the same messages appended
  to a log through a file handle, in one process);
- latency from .u.upd (sent asynchronously to the tickerplant) to the row being queryable in the
  RDB (a synchronous query sees it), median and p99, beside a synchronous round trip to an idle
  process (what one such query costs at least).

usage: bench_tick.py Q_BINARY [N]    (N updates for the rates, 100000 by default)
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("LIBQ_SHARED", os.path.join(HERE, "..", "..", "shared"))
KDB_TICK = os.path.join(SHARED, "kdb-tick")

SCHEMA = """\
trade:([]time:`timespan$();sym:`g#`symbol$();price:`float$();size:`long$())
"""

# The messages a feed sends: n updates of `trade`, b rows each (b=1: one row as a list of
# atoms), built before the clock starts.
MESSAGES = """
syms:`a`b`c`d`e`f`g`h
msgs:{[n;b]$[b=1;{(syms x mod 8;x%100;x)}each til n;{j:x+til y;(syms j mod 8;j%100;j)}[;b]each b*til n div b]}
"""

# Rate through the tickerplant to the RDB: every row counted in the RDB.
RATE = MESSAGES + """
a:"J"$.z.x;tp:hopen a 0;rdb:hopen a 1;n:a 2;b:a 3
m:msgs[n;b];base:rdb"count trade"
st:.z.p
{neg[tp](".u.upd";`trade;x)}each m;
while[(base+n)>rdb"count trade"];
-1 string 1e9*n%.z.p-st;
exit 0
"""

# Raw async IPC: the same messages into a process whose .u.upd does nothing.
SINK_RATE = MESSAGES + """
a:"J"$.z.x;h:hopen a 0;n:a 1;b:a 2
m:msgs[n;b]
st:.z.p
{neg[h](".u.upd";`trade;x)}each m;
h"";
-1 string 1e9*(count m)%.z.p-st;
exit 0
"""

# The tickerplant's logging alone: (`upd;`trade;x) appended to a log through a handle, as
# tick.q's upd does (with the time column the tickerplant adds).
LOG_RATE = MESSAGES + """
a:.z.x;n:"J"$a 1;b:"J"$a 2
m:msgs[n;b];L:hsym`$a 0;.[L;();:;()];l:hopen L
m:{$[0>type first x;.z.N,x;(enlist(count first x)#.z.N),x]}each m
st:.z.p
{l enlist(`upd;`trade;x)}each m;
-1 string 1e9*(count m)%.z.p-st;
exit 0
"""

# Latency: one update at a time, then the RDB queried until it holds it.
LATENCY = """
a:"J"$.z.x;tp:hopen a 0;rdb:hopen a 1;k:a 2
base:rdb"count trade";lat:()
do[k;id:base+count lat;st:.z.p;neg[tp](".u.upd";`trade;(`z;0f;id));
  while[not id=rdb"last trade`size"];lat,:.z.p-st]
lat:asc`long$lat
-1" "sv string(lat k div 2;lat(99*k)div 100);
exit 0
"""

# Round trip: a synchronous query of an idle process.
ROUND_TRIP = """
a:"J"$.z.x;h:hopen a 0;k:a 1;lat:()
do[k;st:.z.p;h"::";lat,:.z.p-st]
lat:asc`long$lat
-1" "sv string(lat k div 2;lat(99*k)div 100);
exit 0
"""

SINK = """
.u.upd:{[t;x]}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bench:
    def __init__(self, q):
        self.q = q
        self.work = tempfile.mkdtemp(prefix="libq-bench-tick-")
        self.procs = []
        os.symlink(os.path.join(KDB_TICK, "tick.q"), os.path.join(self.work, "tick.q"))
        os.mkdir(os.path.join(self.work, "tick"))
        for f in ("u.q", "r.q"):
            os.symlink(os.path.join(KDB_TICK, "tick", f), os.path.join(self.work, "tick", f))
        self.write("tick/sym.q", SCHEMA)
        for name, text in (("rate.q", RATE), ("sink_rate.q", SINK_RATE), ("log_rate.q", LOG_RATE),
                           ("latency.q", LATENCY), ("round_trip.q", ROUND_TRIP),
                           ("sink.q", SINK)):
            self.write(name, text)
        os.makedirs(os.path.join(self.work, "tplog", "sym"))

    def write(self, name, text):
        with open(os.path.join(self.work, name), "w") as f:
            f.write(text)

    def server(self, *args):
        port = free_port()
        log = open(os.path.join(self.work, "servers.log"), "ab")
        p = subprocess.Popen([self.q, *map(str, args), "-p", str(port)], cwd=self.work,
                             stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(p)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return port
            except OSError:
                if p.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{args} did not start")
                time.sleep(0.05)

    def client(self, script, *args):
        out = subprocess.run([self.q, script, *map(str, args)], cwd=self.work,
                             stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             timeout=300)
        lines = out.stdout.strip().splitlines()
        if out.returncode != 0 or not lines:
            raise SystemExit(f"{script} failed:\n{out.stdout}{out.stderr}")
        return [float(v) for v in lines[-1].split()]

    def stop(self):
        for p in self.procs:
            p.kill()
            p.wait()
        shutil.rmtree(self.work, ignore_errors=True)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    q = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 100_000
    b = Bench(q)
    try:
        tp = b.server("tick.q", "sym", os.path.join(b.work, "tplog"))
        rdb = b.server("tick/r.q", f":{tp}", ":0")
        sink = b.server("sink.q")
        # r.q sleeps a second before it subscribes.
        time.sleep(2)
        print(f"kdb+tick (tick.q, tick/r.q as published) on {os.path.relpath(q)}, {n} updates, "
              f"{os.cpu_count()} cores")
        for batch in (1, 100):
            rows = b.client("rate.q", tp, rdb, n, batch)[0]
            raw = b.client("sink_rate.q", sink, n, batch)[0]
            logged = b.client("log_rate.q", os.path.join(b.work, f"bench.log{batch}"), n,
                              batch)[0]
            msgs = rows / batch
            print(f"  {batch:>3}-row messages: feed -> tickerplant -> RDB {rows:>10,.0f} rows/s "
                  f"({msgs:,.0f} msg/s)")
            print(f"      raw async IPC, same messages:     {raw:>10,.0f} msg/s "
                  f"(tick: {msgs / raw:.2f}x of it)")
            print(f"      tickerplant's logging alone:      {logged:>10,.0f} msg/s "
                  f"(tick: {msgs / logged:.2f}x of it)")
        k = 2000
        med, p99 = b.client("latency.q", tp, rdb, k)
        rt_med, rt_p99 = b.client("round_trip.q", sink, k)
        print(f"  latency .u.upd -> queryable in the RDB ({k} updates one at a time): "
              f"median {med / 1000:.1f} us, p99 {p99 / 1000:.1f} us")
        print(f"      sync round trip to an idle process: median {rt_med / 1000:.1f} us, "
              f"p99 {rt_p99 / 1000:.1f} us (tick: {med / rt_med:.1f}x, {p99 / rt_p99:.1f}x)")
    finally:
        b.stop()


if __name__ == "__main__":
    main()
