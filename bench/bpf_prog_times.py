#!/usr/bin/env python3
"""BPF run time per program and per request of one or more `seer` builds, alternating runs.

    python3 bench/bpf_prog_times.py SEER [SEER ...] [--runs 3] [--duration 8] [--hooks syscall_tracepoints]

For each run: nginx (as in http_overhead.py) driven by `wrk -t1 -c32` for `--duration` seconds against
a fresh `seer up`; the kernel's per-program run time and run count (`kernel.bpf_stats_enabled`,
`bpftool prog show`) are read before and after, and each `seer_*` program's ns per run, runs per
request and µs per request are recorded. Runs alternate between the builds, so a drift of the box
hits them alike; programs a change did not touch (the `seer_e_*` entries) show how large that drift
is. Writes bench/results/bpf_prog_times.json. Root only (BPF).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_overhead import start_nginx  # noqa: E402
from overhead_common import Seer, bpf_stats_enabled, ensure_tracefs, median, write_result  # noqa: E402


def prog_stats():
    """(run_time_ns, run_cnt) of every loaded `seer_*` program, by name (summed if loaded twice)."""
    out = subprocess.run(["bpftool", "prog", "show", "--json"], capture_output=True, text=True, check=True).stdout
    stats = {}
    for p in json.loads(out):
        name = p.get("name", "")
        if name.startswith("seer"):
            t, c = stats.get(name, (0, 0))
            stats[name] = (t + p.get("run_time_ns", 0), c + p.get("run_cnt", 0))
    return stats


def one_run(binary, hooks, port, tmp, duration):
    seer = Seer(binary, tmp, hooks=hooks)
    try:
        before = prog_stats()
        out = subprocess.run(["wrk", "-t1", "-c32", f"-d{duration}s", f"http://127.0.0.1:{port}/"],
                             capture_output=True, text=True, check=True).stdout
        after = prog_stats()
    finally:
        seer.stop()
    n = int(re.search(r"(\d+) requests in", out).group(1))
    progs = {}
    for name, (t1, c1) in after.items():
        t0, c0 = before.get(name, (0, 0))
        if c1 > c0:
            progs[name] = {"ns_per_run": (t1 - t0) / (c1 - c0), "runs_per_req": (c1 - c0) / n,
                           "us_per_req": (t1 - t0) / n / 1e3}
    return {"requests": n, "rps": n / duration, "bpf_us_per_req": sum(p["us_per_req"] for p in progs.values()),
            "programs": progs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seer", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=8)
    ap.add_argument("--hooks", default="syscall_tracepoints", choices=["syscall_tracepoints", "raw_tracepoints"])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                                  "bpf_prog_times.json"))
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bpf_prog_times: needs root (BPF)")
    ensure_tracefs()
    tmp = tempfile.mkdtemp(prefix="seer-bench-")
    nginx, port = start_nginx(tmp)
    runs = {b: [] for b in a.seer}
    try:
        with bpf_stats_enabled():
            for _ in range(a.runs):
                for b in a.seer:
                    runs[b].append(one_run(b, a.hooks, port, tmp, a.duration))
    finally:
        nginx.terminate()
        nginx.wait()
    result = {"argv": sys.argv, "hooks": a.hooks, "variants": []}
    for b in a.seer:
        names = sorted({n for r in runs[b] for n in r["programs"]})
        med = {n: median([r["programs"][n]["ns_per_run"] for r in runs[b] if n in r["programs"]]) for n in names}
        result["variants"].append({"binary": os.path.abspath(b), "median_ns_per_run": med,
                                   "median_bpf_us_per_req": median([r["bpf_us_per_req"] for r in runs[b]]),
                                   "runs": runs[b]})
        print(b, "BPF µs/request (median):", round(median([r["bpf_us_per_req"] for r in runs[b]]), 3))
        for n in names:
            print(f"  {n:24s} {med[n]:8.0f} ns/run")
    write_result(result, a.out)


if __name__ == "__main__":
    main()
