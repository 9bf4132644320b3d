#!/usr/bin/env python3
"""End-to-end overhead of Seer's eBPF socket tracer on real database servers (run as root).

Workloads (bench/overhead_workloads.py), each started by this script on a free loopback port in a temp dir:
  redis  redis-server + `redis-benchmark -t set,get -n N -c 32 -P 1` (one round trip per request; N
         from a warm-up so one run lasts about --duration)
  pgsql  initdb cluster + `pgbench -i`, then `pgbench -S -c 8 -j 2 -T duration` (select-only: one
         statement per transaction)
Alternating rounds without and with `seer up` (a fresh agent per traced run), so machine noise hits
both equally. Per traced run: requests/s, agent CPU per request (user+sys of seer, including working off
the ring buffer), BPF program run time per request (kernel.bpf_stats_enabled), server-side rows of the
protocol's table on the server's port vs requests, events dropped (self_telemetry `socket_tracer`
rows_dropped) and the protocol's own self_telemetry row (malformed frames in `errors`, messages
without a row in `rows_dropped`). Medians over rounds; ratio = traced / untraced requests/s.

Writes bench/results/<workload>_overhead.json (override with --out).

Usage: bench/overhead.py {redis,pgsql} SEER_BINARY [--duration 10] [--rounds 2] [--hooks MODE] [--out PATH]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from overhead_common import (TRACEFS, Seer, bpf_prog_stats, bpf_stats_enabled, ensure_tracefs, load_average,
                             median, proc_cpu_s, write_result, STORE_BUDGET)
from overhead_workloads import WORKLOADS

TOOLS = {"redis": ("redis-server", "redis-benchmark"), "pgsql": ("pgbench",)}


def traced_run(wl, binary, tmp, hooks):
    """One client run with a fresh `seer up` tracing."""
    seer = Seer(binary, tmp, hooks=hooks, store_budget=STORE_BUDGET)

    def count():
        return seer.count_rows(wl.table, wl.port)

    rows0 = count()
    cpu0, bpf0 = proc_cpu_s(seer.proc.pid), bpf_prog_stats()
    r = wl.run()
    bpf1 = bpf_prog_stats()
    # The agent's CPU for these requests includes working off what the ring buffer still holds (read
    # once it is idle, before the row-count queries).
    cpu1 = seer.wait_idle()
    rows, r["catch_up_s"] = seer.settle_rows(count, rows0 + r["requests"])
    r["server_rows"] = rows - rows0
    r["rows_per_request"] = r["server_rows"] / r["requests"]
    r["agent_cpu_us_per_req"] = (cpu1 - cpu0) * 1e6 / r["requests"]
    if bpf0 and bpf1:
        r["bpf_run_us_per_req"] = (bpf1[0] - bpf0[0]) / 1e3 / r["requests"]
        r["bpf_runs_per_req"] = (bpf1[1] - bpf0[1]) / r["requests"]
    r["drops"] = seer.tracer_drops()
    r["protocol_telemetry"] = seer.telemetry(wl.name, kind="protocol")
    if "rows_ingested" in r["protocol_telemetry"]:
        r["rows_built_per_request"] = r["protocol_telemetry"]["rows_ingested"] / r["requests"]
    seer.stop()
    return r


def summarise(result):
    runs, base = result["with"], median([x["rps"] for x in result["without"]])
    traced = median([x["rps"] for x in runs])
    result["rps"] = {"without": base, "with": traced}
    result["throughput_ratio"] = traced / base
    for key in ("agent_cpu_us_per_req", "bpf_run_us_per_req", "rows_per_request", "rows_built_per_request"):
        if all(key in x for x in runs):
            result[key] = median([x[key] for x in runs])
    result["drops"] = sum(x["drops"] for x in runs)


def measure(wl, a, tmp, result):
    result["warm_up"] = wl.calibrate(a.duration)
    result["command"] = wl.command()
    result.update(wl.describe())
    for _ in range(a.rounds):
        result["without"].append(wl.run())
        result["with"].append(traced_run(wl, a.seer, tmp, a.hooks))
    summarise(result)


def main():
    ap = argparse.ArgumentParser(description="Seer tracer overhead on Redis / PostgreSQL (root)")
    ap.add_argument("workload", choices=sorted(WORKLOADS))
    ap.add_argument("seer", help="the seer binary (a release build for real numbers)")
    ap.add_argument("--duration", type=int, default=10, help="seconds per client run")
    ap.add_argument("--rounds", type=int, default=2, help="runs without and with Seer (alternating)")
    ap.add_argument("--hooks", choices=["raw_tracepoints", "syscall_tracepoints"], default=None,
                    help="[collect] syscall_hooks (default: Seer's default)")
    ap.add_argument("--out", help="result file (default bench/results/<workload>_overhead.json)")
    a = ap.parse_args()
    out = a.out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", f"{a.workload}_overhead.json")
    if os.geteuid() != 0:
        sys.exit("overhead: needs root (BPF)")
    for tool in TOOLS[a.workload] + ("bpftool",):
        if not shutil.which(tool):
            sys.exit(f"overhead: {tool} missing (tools/setup.sh test installs it)")
    result = {"workload": a.workload, "argv": [os.path.abspath(sys.argv[0])] + sys.argv[1:],
              "binary": os.path.abspath(a.seer), "duration_s": a.duration, "rounds": a.rounds,
              "hooks": a.hooks or "default", "load_average_before": load_average(), "without": [], "with": []}
    tmp = tempfile.mkdtemp(prefix="seer-bench-")
    mounted_tracefs = a.hooks == "syscall_tracepoints" and ensure_tracefs()
    wl = WORKLOADS[a.workload](tmp)
    try:
        with bpf_stats_enabled():
            measure(wl, a, tmp, result)
    finally:
        wl.stop()
        if mounted_tracefs:
            subprocess.run(["umount", TRACEFS])
        shutil.rmtree(tmp, ignore_errors=True)
    result["load_average_after"] = load_average()
    write_result(result, out)


if __name__ == "__main__":
    main()
