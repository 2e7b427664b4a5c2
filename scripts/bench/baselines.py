"""Data and baselines for scripts/bench-groupby.sh: the same workloads in DuckDB, Polars and
CPython, printed as `engine case median_seconds check...` lines that the script puts beside
ours.

Data is generated deterministically (numpy's PCG64 with a fixed seed) as raw little-endian
columns in a folder, so every engine, ours included, loads the same values:

  gen-g1 DIR N K      db-benchmark's G1 table: id1 id2 id3 (codes of id%03d / id%010d strings),
                      id4 id5 id6 v1 v2 (longs), v3 (float rounded to 6 places)
  gen-ticks DIR T Q   T trades (sym time price size, time-sorted) and Q quotes (sym time bid
                      ask, sorted by sym then time) over 100 symbols in one day of milliseconds
  groupby DIR REPS    db-benchmark's groupby questions q1-q10 in DuckDB and Polars
  joins DIR REPS      key joins (lj ij uj) on the G1 table in DuckDB and Polars
  ticks DIR REPS      asof join, window join and time-bucketed aggregation in DuckDB and Polars
  lambda REPS         recursive fib, a reduce with a lambda, a string map, in CPython
"""

import os
import statistics
import sys
import time

import numpy as np


def write(d, name, a):
    a.astype(a.dtype.newbyteorder("<")).tofile(os.path.join(d, name))


def read(d, name, dtype):
    return np.fromfile(os.path.join(d, name), dtype=dtype)


def gen_g1(d, n, k):
    os.makedirs(d, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(20240601))
    cols = {
        "id1": rng.integers(0, k, n, dtype=np.int32),
        "id2": rng.integers(0, k, n, dtype=np.int32),
        "id3": rng.integers(0, max(n // k, 1), n, dtype=np.int32),
        "id4": rng.integers(1, k + 1, n, dtype=np.int64),
        "id5": rng.integers(1, k + 1, n, dtype=np.int64),
        "id6": rng.integers(1, max(n // k, 1) + 1, n, dtype=np.int64),
        "v1": rng.integers(1, 6, n, dtype=np.int64),
        "v2": rng.integers(1, 16, n, dtype=np.int64),
        "v3": np.round(rng.uniform(0, 100, n), 6),
    }
    for c, a in cols.items():
        write(d, c, a)


def gen_ticks(d, nt, nq):
    os.makedirs(d, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(20240602))
    day = 86_400_000
    # Trades: time-sorted, as a trade table is kept.
    t_time = np.sort(rng.integers(0, day, nt, dtype=np.int32))
    write(d, "t_sym", rng.integers(0, 100, nt, dtype=np.int32))
    write(d, "t_time", t_time)
    write(d, "t_price", np.round(rng.uniform(10, 200, nt), 2))
    write(d, "t_size", rng.integers(1, 1000, nt, dtype=np.int64))
    # Quotes: sorted by sym then time (a p#sym table).
    q_sym = rng.integers(0, 100, nq, dtype=np.int32)
    q_time = rng.integers(0, day, nq, dtype=np.int32)
    order = np.lexsort((q_time, q_sym))
    write(d, "q_sym", q_sym[order])
    write(d, "q_time", q_time[order])
    write(d, "q_bid", np.round(rng.uniform(10, 200, nq), 2))
    write(d, "q_ask", np.round(rng.uniform(10, 200, nq), 2))


def med(fn, reps):
    ts, out = [], None
    for _ in range(reps):
        s = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - s)
    return statistics.median(ts), out


def sym_strings(codes, width):
    return np.char.add("id", np.char.zfill(codes.astype(str), width))


def g1_frame(d):
    import polars as pl

    n = len(read(d, "v3", "<f8"))
    k = 100
    cols = {}
    for c, w in (("id1", 3), ("id2", 3), ("id3", 10)):
        codes = read(d, c, "<i4")
        # The strings, made once per distinct code.
        u = sym_strings(np.arange(codes.max() + 1 if len(codes) else 0) + 1, w)
        cols[c] = u[codes]
    for c in ("id4", "id5", "id6", "v1", "v2"):
        cols[c] = read(d, c, "<i8")
    cols["v3"] = read(d, "v3", "<f8")
    del n, k
    return pl.DataFrame(cols)


# db-benchmark's groupby questions: (name, DuckDB SQL, result columns to sum for the check).
G1_SQL = [
    ("q1", "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1", ["v1"]),
    ("q2", "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2", ["v1"]),
    ("q3", "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3", ["v1", "v3"]),
    (
        "q4",
        "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4",
        ["v1", "v2", "v3"],
    ),
    (
        "q5",
        "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6",
        ["v1", "v2", "v3"],
    ),
    (
        "q6",
        "SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5",
        ["median_v3", "sd_v3"],
    ),
    (
        "q7",
        "SELECT id3, max(v1)-min(v2) AS range_v1_v2 FROM x GROUP BY id3",
        ["range_v1_v2"],
    ),
    (
        "q8",
        "SELECT id6, largest2_v3 FROM (SELECT id6, v3 AS largest2_v3, row_number() OVER "
        "(PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query "
        "WHERE order_v3 <= 2",
        ["largest2_v3"],
    ),
    ("q9", "SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4", ["r2"]),
    (
        "q10",
        "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS cnt FROM x "
        "GROUP BY id1, id2, id3, id4, id5, id6",
        ["v3", "cnt"],
    ),
]


def polars_g1(x):
    import polars as pl

    c = pl.col
    return {
        "q1": lambda: x.group_by("id1").agg(c("v1").sum()),
        "q2": lambda: x.group_by("id1", "id2").agg(c("v1").sum()),
        "q3": lambda: x.group_by("id3").agg(c("v1").sum(), c("v3").mean()),
        "q4": lambda: x.group_by("id4").agg(c("v1").mean(), c("v2").mean(), c("v3").mean()),
        "q5": lambda: x.group_by("id6").agg(c("v1").sum(), c("v2").sum(), c("v3").sum()),
        "q6": lambda: x.group_by("id4", "id5").agg(
            c("v3").median().alias("median_v3"), c("v3").std().alias("sd_v3")
        ),
        "q7": lambda: x.group_by("id3").agg(
            (c("v1").max() - c("v2").min()).alias("range_v1_v2")
        ),
        "q8": lambda: x.drop_nulls("v3")
        .group_by("id6")
        .agg(c("v3").top_k(2).alias("largest2_v3"))
        .explode("largest2_v3"),
        "q9": lambda: x.group_by("id2", "id4").agg(
            (pl.corr("v1", "v2") ** 2).alias("r2")
        ),
        "q10": lambda: x.group_by("id1", "id2", "id3", "id4", "id5", "id6").agg(
            c("v3").sum(), pl.len().alias("cnt")
        ),
    }


def check_polars(df, cols):
    # NaN is q's float null, which q's sum skips.
    return [df.height] + [float(df[c].cast(float).fill_nan(None).sum()) for c in cols]


def check_duck(con, sql, cols):
    # NaN is q's float null, which q's sum skips.
    sums = ", ".join(f"sum({c}::DOUBLE) FILTER (WHERE NOT isnan({c}::DOUBLE))" for c in cols)
    return list(con.execute(f"SELECT count(*), {sums} FROM ({sql})").fetchone())


def show(engine, case, t, check):
    print(engine, case, "%.6f" % t, " ".join("%.10g" % (v if v is not None else 0) for v in check))
    sys.stdout.flush()


def groupby(d, reps):
    import duckdb

    x = g1_frame(d)
    con = duckdb.connect()
    con.execute("CREATE TABLE x AS SELECT * FROM x")
    for name, sql, cols in G1_SQL:
        # The result materialised, as ours is.
        t, _ = med(lambda: con.execute(f"CREATE OR REPLACE TEMP TABLE ans AS {sql}"), reps)
        show("duckdb", name, t, check_duck(con, sql, cols))
    con.close()
    import polars as pl

    # Polars as db-benchmark runs it: the string keys as categoricals.
    x = x.with_columns(pl.col("id1", "id2", "id3").cast(pl.Categorical))
    cols = dict((n, c) for n, _, c in G1_SQL)
    for name, fn in polars_g1(x).items():
        t, out = med(fn, reps)
        show("polars", name, t, check_polars(out, cols[name]))


def joins(d, reps):
    """The key joins of bench_groupby's `joins` on the same tables, built the same way."""
    import duckdb
    import polars as pl

    x = g1_frame(d)
    ids = sorted(set(x["id1"].to_list()))
    kt2 = pl.DataFrame(
        {
            "id1": [s for s in ids for _ in range(50)],
            "id4": [2 * (j + 1) for _ in ids for j in range(50)],
            "w": [0.5 * 2 * (j + 1) + c for c in range(len(ids)) for j in range(50)],
        }
    )
    h = int(x["id6"].max()) // 2
    kt1 = pl.DataFrame({"id6": 2 * (1 + np.arange(h)), "w": 0.25 * 2 * (1 + np.arange(h))})
    m = x.height // 2
    ua = pl.DataFrame({"k": np.arange(m), "v": 1.0 * np.arange(m)})
    ub = pl.DataFrame({"k": m // 2 + np.arange(m), "v": 2.0 * (m // 2 + np.arange(m))})
    con = duckdb.connect()
    for name, df in (("x", x), ("kt2", kt2), ("kt1", kt1), ("ua", ua), ("ub", ub)):
        con.register("src", df)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM src")
        con.unregister("src")
    sql = {
        "lj2": "SELECT x.*, kt2.w FROM x LEFT JOIN kt2 USING (id1, id4)",
        "ij2": "SELECT x.*, kt2.w FROM x JOIN kt2 USING (id1, id4)",
        "lj1": "SELECT x.*, kt1.w FROM x LEFT JOIN kt1 USING (id6)",
        "uj": "SELECT coalesce(ub.k, ua.k) AS k, coalesce(ub.v, ua.v) AS v "
        "FROM ua FULL JOIN ub ON ua.k = ub.k",
    }
    cols = {"lj2": ["w"], "ij2": ["w"], "lj1": ["w"], "uj": ["v"]}
    for name, q in sql.items():
        t, _ = med(lambda: con.execute(f"CREATE OR REPLACE TEMP TABLE ans AS {q}"), reps)
        show("duckdb", name, t, check_duck(con, q, cols[name]))
    con.close()
    c = pl.col
    fns = {
        "lj2": lambda: x.join(kt2, on=["id1", "id4"], how="left"),
        "ij2": lambda: x.join(kt2, on=["id1", "id4"], how="inner"),
        "lj1": lambda: x.join(kt1, on="id6", how="left"),
        "uj": lambda: ua.join(ub, on="k", how="full", coalesce=True).select(
            c("k"), pl.coalesce(c("v_right"), c("v")).alias("v")
        ),
    }
    for name, fn in fns.items():
        t, out = med(fn, reps)
        show("polars", name, t, check_polars(out, cols[name]))


def ticks(d, reps):
    import duckdb
    import polars as pl

    t = pl.DataFrame(
        {
            "sym": read(d, "t_sym", "<i4"),
            "time": read(d, "t_time", "<i4"),
            "price": read(d, "t_price", "<f8"),
            "size": read(d, "t_size", "<i8"),
        }
    ).with_row_index("i")
    q = pl.DataFrame(
        {
            "sym": read(d, "q_sym", "<i4"),
            "time": read(d, "q_time", "<i4"),
            "bid": read(d, "q_bid", "<f8"),
            "ask": read(d, "q_ask", "<f8"),
        }
    )
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM t")
    con.execute("CREATE TABLE q AS SELECT * FROM q")
    aj = (
        "SELECT t.sym, t.time, t.price, t.size, q.bid, q.ask FROM t ASOF LEFT JOIN q "
        "ON t.sym = q.sym AND t.time >= q.time"
    )
    bucket = (
        "SELECT sym, time // 60000 AS minute, arg_max(price, i) AS price, sum(size) AS size "
        "FROM t GROUP BY ALL"
    )
    # wj1: the quotes of the trade's sym in the minute up to it, both ends included.
    wj1 = (
        "SELECT t.i, sum(q.ask) AS ask, count(q.bid) AS bid FROM t LEFT JOIN q "
        "ON t.sym = q.sym AND q.time BETWEEN t.time - 60000 AND t.time GROUP BY t.i"
    )
    cases = [("aj", aj, ["bid", "ask"]), ("wj1", wj1, ["ask", "bid"]), ("bucket", bucket, ["price", "size"])]
    if t.height > 200_000:
        # DuckDB's range join pairs every trade with its sym's quotes: minutes at 10M quotes.
        cases = [c for c in cases if c[0] != "wj1"]
    for name, sql, cols in cases:
        tm, _ = med(lambda: con.execute(f"CREATE OR REPLACE TEMP TABLE ans AS {sql}"), reps)
        show("duckdb", name, tm, check_duck(con, sql, cols))
    con.close()
    qs = q.sort("time")
    tm, out = med(
        lambda: t.join_asof(qs, on="time", by="sym", strategy="backward"), reps
    )
    show("polars", "aj", tm, check_polars(out, ["bid", "ask"]))
    # Polars has no window join (join_where pairs every trade with every quote of its sym):
    # running sums and counts per sym, asof-joined at both ends of each window.
    c = pl.col

    def wj1_polars():
        run = qs.with_columns(
            c("ask").cum_sum().over("sym").alias("s"), (c("bid").cum_count().over("sym")).alias("n")
        ).select("sym", "time", "s", "n")
        end = t.join_asof(run, on="time", by="sym", strategy="backward")
        start = t.with_columns((c("time") - 60001).alias("time")).join_asof(
            run, on="time", by="sym", strategy="backward"
        )
        return end.select(
            (c("s").fill_null(0) - start["s"].fill_null(0)).alias("ask"),
            (c("n").fill_null(0) - start["n"].fill_null(0)).alias("bid"),
        )

    tm, out = med(wj1_polars, reps)
    show("polars", "wj1", tm, check_polars(out, ["ask", "bid"]))
    tm, out = med(
        lambda: t.group_by("sym", (pl.col("time") // 60000).alias("minute")).agg(
            pl.col("price").last(), pl.col("size").sum()
        ),
        reps,
    )
    show("polars", "bucket", tm, check_polars(out, ["price", "size"]))


def lam(reps):
    import functools

    def fib(x):
        return x if x < 2 else fib(x - 1) + fib(x - 2)

    strs = [str(i) for i in range(1_000_000)]
    cases = {
        "fib": lambda: fib(25),
        "over": lambda: functools.reduce(lambda x, y: x + y * 2, range(1_000_000), 0),
        "each_string": lambda: len([(lambda x: x + x[::-1])(s) for s in strs]),
    }
    for name, fn in cases.items():
        t, out = med(fn, reps)
        show("cpython", name, t, [out])


def main():
    cmd = sys.argv[1]
    if cmd == "gen-g1":
        gen_g1(sys.argv[2], int(float(sys.argv[3])), int(sys.argv[4]))
    elif cmd == "gen-ticks":
        gen_ticks(sys.argv[2], int(float(sys.argv[3])), int(float(sys.argv[4])))
    elif cmd == "groupby":
        groupby(sys.argv[2], int(sys.argv[3]))
    elif cmd == "joins":
        joins(sys.argv[2], int(sys.argv[3]))
    elif cmd == "ticks":
        ticks(sys.argv[2], int(sys.argv[3]))
    elif cmd == "lambda":
        lam(int(sys.argv[2]))
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
