#!/usr/bin/env python3
"""PxL (Seer's query engine) vs DuckDB on the same 10M synthetic http_events rows, in one run.

Run it through bench/pxl_duckdb.sh (which builds the release binary and the DuckDB venv first).

1. Runs the release binary `pxl-duckdb` (crates/seer-bench): it generates the rows into a seer-store
   table as the agent holds them, writes the same rows as Arrow IPC, and times the HTTP-stats PxL script
   end to end through the query engine (compile + execute + result batches), one warm-up + N runs per query.
2. Loads the IPC file into an in-memory DuckDB table (untimed), and times the same query in SQL with the
   same thread count, one warm-up + N runs, result rows fetched.
3. Checks both return the same groups with the same counts, and quantiles within tolerance; writes
   bench/results/pxl_duckdb.json.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUANTILES = (0.5, 0.9, 0.99)
# Seer's quantiles come from a t-digest (100 centroids); compare them to DuckDB's exact quantile_cont:
# p50 and p90 of every group within 5 %, p99 within 5 % for the median group (a p99 of a group of ~1000
# values rests on its top ~10 values, where any t-digest strays further; the maximum is reported).
REL_TOLERANCE = 0.05

SQL = """
SELECT p.cmdline AS service, e.req_path, count(e.latency) AS requests,
       {qfn}(e.latency::DOUBLE, [0.5, 0.9, 0.99]) AS q
FROM http_events e JOIN processes p ON e.upid = p.upid
WHERE e.time_ >= {start} AND e.time_ < {end} AND e.resp_status >= {min_status}
GROUP BY p.cmdline, e.req_path
"""


def ts_literal(ns):
    """A DuckDB TIMESTAMP_NS literal for `ns` since the epoch (UTC, no zone, like the Arrow column)."""
    secs, frac = divmod(ns, 1_000_000_000)
    base = datetime.fromtimestamp(secs, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return f"TIMESTAMP_NS '{base}.{frac:09d}'"


def machine_info():
    info = {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pyarrow": pa.__version__,
        "loadavg_start": os.getloadavg(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), None)
        with open("/proc/meminfo") as f:
            info["mem_total"] = f.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    for key, cmd in (("rustc", ["rustc", "--version"]), ("git_commit", ["git", "-C", ROOT, "rev-parse", "HEAD"])):
        try:
            info[key] = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            info[key] = None
    return info


def run_seer(binary, args):
    cmd = [binary, "--rows", str(args.rows), "--reps", str(args.reps), "--out-dir", args.data_dir]
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)
    with open(os.path.join(args.data_dir, "seer.json")) as f:
        return cmd, json.load(f)


def load_duckdb(data_dir, threads):
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {threads}")
    started = time.perf_counter()
    for name in ("http_events", "processes"):
        with pa.memory_map(os.path.join(data_dir, f"{name}.arrow")) as src:
            table = pa.ipc.open_file(src).read_all()
            con.register("src_arrow", table)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM src_arrow")
            con.unregister("src_arrow")
            del table
    rows = con.execute("SELECT count(*) FROM http_events").fetchone()[0]
    return con, {"seconds": time.perf_counter() - started, "rows": rows}


def time_duckdb(con, sql, reps):
    con.execute(sql).fetchall()  # warm-up
    runs, result = [], None
    for _ in range(reps):
        started = time.perf_counter()
        result = con.execute(sql).fetchall()
        runs.append(time.perf_counter() - started)
        print(f"duckdb: {runs[-1]:.4f} s, {len(result)} groups", file=sys.stderr, flush=True)
    groups = {(r[0], r[1]): (r[2], list(r[3])) for r in result}
    return {"median_s": statistics.median(runs), "min_s": min(runs), "runs": runs}, groups


def rel(a, b):
    return abs(a - b) / abs(b) if b else abs(a - b)


def compare(seer_groups, duck_groups):
    """Same groups and counts; worst relative quantile error of Seer vs the DuckDB result."""
    seer = {(g["service"], g["req_path"]): g for g in seer_groups}
    missing = sorted(set(duck_groups) - set(seer))
    extra = sorted(set(seer) - set(duck_groups))
    count_diffs = [k for k in seer.keys() & duck_groups.keys() if seer[k]["requests"] != duck_groups[k][0]]
    worst = {}
    for name, i in (("p50", 0), ("p90", 1), ("p99", 2)):
        errs = [rel(seer[k][name], duck_groups[k][1][i]) for k in seer.keys() & duck_groups.keys()]
        worst[name] = {"max_rel_err": max(errs, default=0.0), "median_rel_err": statistics.median(errs) if errs else 0.0}
    return {
        "groups_seer": len(seer),
        "groups_duckdb": len(duck_groups),
        "missing_in_seer": [list(k) for k in missing[:10]],
        "extra_in_seer": [list(k) for k in extra[:10]],
        "count_mismatches": len(count_diffs),
        "rows_aggregated": sum(g["requests"] for g in seer_groups),
        "quantile_error_vs_duckdb": worst,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", required=True, help="the release pxl-duckdb binary")
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--threads", type=int, default=2, help="DuckDB threads (Seer's side uses 2)")
    p.add_argument("--data-dir", default="/var/tmp/seer-bench")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "pxl_duckdb.json"))
    args = p.parse_args()

    info = machine_info()
    seer_cmd, seer = run_seer(args.binary, args)
    con, load = load_duckdb(args.data_dir, args.threads)
    window = seer["window"]
    queries, ok = {}, True
    for name, min_status in (("errors", 400), ("all", 0)):
        s = seer["queries"][name]
        entry = {"min_status": min_status, "pxl_script": s["script"],
                 "seer": {k: s[k] for k in ("median_s", "min_s", "compile_median_s", "runs",
                                             "rows_scanned", "batches_pruned")}}
        for variant, qfn in (("approx_quantile", "approx_quantile"), ("quantile_cont", "quantile_cont")):
            sql = SQL.format(qfn=qfn, start=ts_literal(window["start_ns"]), end=ts_literal(window["end_ns"]),
                             min_status=min_status)
            timing, groups = time_duckdb(con, sql, args.reps)
            check = compare(s["groups"], groups)
            entry[f"duckdb_{variant}"] = {"sql": " ".join(sql.split()), **timing, "check": check}
            entry[f"ratio_median_vs_{variant}"] = s["median_s"] / timing["median_s"]
            entry[f"ratio_min_vs_{variant}"] = s["min_s"] / timing["min_s"]
            same = not check["missing_in_seer"] and not check["extra_in_seer"] and check["count_mismatches"] == 0
            if not same:
                ok = False
            if variant == "quantile_cont":
                err = check["quantile_error_vs_duckdb"]
                within = (err["p50"]["max_rel_err"] <= REL_TOLERANCE and err["p90"]["max_rel_err"] <= REL_TOLERANCE
                          and err["p99"]["median_rel_err"] <= REL_TOLERANCE)
                entry["quantiles_within_tolerance"] = within
                ok = ok and within
        queries[name] = entry
        print(f"{name}: seer median {s['median_s']:.4f} s; duckdb approx median "
              f"{entry['duckdb_approx_quantile']['median_s']:.4f} s, exact "
              f"{entry['duckdb_quantile_cont']['median_s']:.4f} s; ratio (median, vs approx) "
              f"{entry['ratio_median_vs_approx_quantile']:.2f}, vs exact {entry['ratio_median_vs_quantile_cont']:.2f}",
              file=sys.stderr)
    for name, c in (seer.get("compile") or {}).items():
        print(f"compile {name}: mean {c['mean_us']:.0f} us, median {c['median_us']:.0f} us", file=sys.stderr)
    info["loadavg_end"] = os.getloadavg()
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": seer["rows"],
        "threads": {"seer_tokio_workers": seer["threads"], "seer_target_partitions": seer["target_partitions"],
                    "duckdb": args.threads},
        "reps": args.reps,
        "machine": info,
        "commands": {"seer": " ".join(seer_cmd), "duckdb": f"{sys.executable} (this script), duckdb in-memory"},
        "seer_load": seer["load"], "seer_store": seer["store"], "ipc": seer["ipc"],
        "duckdb_load": load,
        "window": window,
        "tolerance_rel": REL_TOLERANCE,
        "tolerance_rule": "same groups and counts; vs quantile_cont: p50, p90 max rel err <= tol, p99 median rel err <= tol",
        "same_results": ok,
        "queries": queries,
        "compile_time_release": seer.get("compile"),
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"wrote {args.out}; same results: {ok}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
