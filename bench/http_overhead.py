#!/usr/bin/env python3
"""End-to-end overhead of Seer's eBPF socket tracer on a real web server (run as root).

Debian nginx serves a small static file on loopback; Debian wrk drives it. Runs, side by side in one
invocation, alternating so machine noise hits both equally:
  1. max throughput + p50/p99 latency without Seer and with `seer up` tracing (ROUNDS each), for both
     syscall hook modes: raw tracepoints (tp_btf sys_enter/sys_exit, the default) and per-syscall
     tracepoints (syscalls:sys_enter_X/sys_exit_X; tracefs is mounted for the run if it is not);
  2. agent CPU per request: user+sys of the seer process (from /proc/<pid>/stat) and the BPF
     programs' own run time (kernel.bpf_stats_enabled, bpftool prog show) divided by requests;
  3. events dropped (self_telemetry, socket_tracer rows_dropped) at ~50% of max rate and at max rate;
  4. overload: a deliberately tiny ring buffer, to show drops are counted and `seer run` warns.
Writes bench/results/http_overhead.json.

Usage: bench/http_overhead.py SEER_BINARY [--duration 10] [--rounds 2]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from overhead_common import (Seer, bpf_prog_stats, bpf_stats_enabled, ensure_tracefs, free_port, median,
                             proc_cpu_s, wait_port, write_result, STORE_BUDGET, TRACEFS)


def start_nginx(tmp):
    root = os.path.join(tmp, "www")
    os.makedirs(root)
    with open(os.path.join(root, "index.html"), "w") as f:
        f.write("<html><body>" + "hello seer " * 50 + "</body></html>\n")
    port = free_port()
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1;
user root;
error_log {tmp}/error.log;
pid {tmp}/nginx.pid;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type text/html;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};
  uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
""")
    p = subprocess.Popen(["nginx", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port)
    return p, port


def parse_wrk(out):
    def dur(v, unit):
        return float(v) * {"us": 1e3, "ms": 1e6, "s": 1e9}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    lat = {}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        lat[f"p{pct}_ns"] = dur(m.group(1), m.group(2)) if m else None
    return {"rps": rps, "requests": total, **lat}


def wrk(port, duration, conns=32, delay_ms=None):
    args = ["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency"]
    if delay_ms is not None:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(f"function delay()\n  return {delay_ms}\nend\n")
        script.close()
        args += ["-s", script.name]
    out = subprocess.run(args + [f"http://127.0.0.1:{port}/index.html"], capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def server_rows(seer):
    return seer.count_rows("http_events")


def traced_round(binary, tmp, port, duration, hooks):
    """One wrk run at max rate with `seer up` tracing through `hooks`."""
    seer = Seer(binary, tmp, hooks=hooks, store_budget=STORE_BUDGET)
    cpu0, bpf0 = proc_cpu_s(seer.proc.pid), bpf_prog_stats()
    r = wrk(port, duration)
    bpf1 = bpf_prog_stats()
    # The agent's CPU for these requests includes working off what the ring buffer still holds (read
    # once it is idle, before the row-count queries, whose CPU is not per-request work).
    cpu1 = seer.wait_idle()
    r["server_rows"], r["catch_up_s"] = seer.settle_rows(lambda: server_rows(seer), r["requests"])
    r["agent_cpu_us_per_req"] = (cpu1 - cpu0) * 1e6 / r["requests"]
    if bpf0 and bpf1:
        r["bpf_run_us_per_req"] = (bpf1[0] - bpf0[0]) / 1e3 / r["requests"]
        r["bpf_runs_per_req"] = (bpf1[1] - bpf0[1]) / r["requests"]
    r["drops"] = seer.tracer_drops()
    seer.stop()
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seer")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "http_overhead.json"))
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("http_overhead: needs root (BPF)")
    for tool in ("nginx", "wrk", "bpftool"):
        if not shutil.which(tool):
            sys.exit(f"http_overhead: {tool} missing (tools/setup.sh test installs it)")
    tmp = tempfile.mkdtemp(prefix="seer-bench-")
    nginx, port = start_nginx(tmp)
    modes = ["raw_tracepoints", "syscall_tracepoints"]
    result = {"duration_s": a.duration, "rounds": a.rounds, "nginx_port": port, "without": [],
              "with": {m: [] for m in modes}, "binary": os.path.abspath(a.seer)}
    mounted_tracefs = ensure_tracefs()
    try:
        with bpf_stats_enabled():
            measure(a, tmp, port, modes, result)
    finally:
        if mounted_tracefs:
            subprocess.run(["umount", TRACEFS])
        nginx.terminate()
        nginx.wait()
    write_result(result, a.out)


def measure(a, tmp, port, modes, result):
    """Every run of one invocation; fills `result`."""
    wrk(port, 2)  # warm-up
    for _ in range(a.rounds):
        result["without"].append(wrk(port, a.duration))
        for m in modes:
            result["with"][m].append(traced_round(a.seer, tmp, port, a.duration, m))
    summarise(result, modes)
    traced = median([x["rps"] for x in result["with"][modes[0]]])
    drops_at_half_and_max_rate(a, tmp, port, traced, result)
    overload(a, tmp, port, result)


def summarise(result, modes):
    base = median([x["rps"] for x in result["without"]])
    result["p50_ns"] = {"without": median([x["p50_ns"] for x in result["without"]])}
    result["p99_ns"] = {"without": median([x["p99_ns"] for x in result["without"]])}
    result["throughput_ratio"], result["agent_cpu_us_per_req"], result["bpf_run_us_per_req"] = {}, {}, {}
    for m in modes:
        runs = result["with"][m]
        result["throughput_ratio"][m] = median([x["rps"] for x in runs]) / base
        result["p50_ns"][m] = median([x["p50_ns"] for x in runs])
        result["p99_ns"][m] = median([x["p99_ns"] for x in runs])
        result["agent_cpu_us_per_req"][m] = median([x["agent_cpu_us_per_req"] for x in runs])
        if all("bpf_run_us_per_req" in x for x in runs):
            result["bpf_run_us_per_req"][m] = median([x["bpf_run_us_per_req"] for x in runs])


def paced_conns(port, target_rps, delay_ms):
    """Connections that make `wrk` (each connection waiting `delay_ms` between requests) run at about
    `target_rps`: estimated from the delay, then corrected by a 3 s trial run; (conns, trial)."""
    conns = max(2, round(target_rps * delay_ms / 1000))
    trial = wrk(port, 3, conns, delay_ms)
    return max(2, round(conns * target_rps / max(trial["rps"], 1.0))), trial


def drops_at_half_and_max_rate(a, tmp, port, traced, result):
    """Drops at ~50% of the traced max rate (paced by connection count), then at max rate, with the
    default ring buffer."""
    seer = Seer(a.seer, tmp, store_budget=STORE_BUDGET)
    delay = 1
    conns, trial = paced_conns(port, traced * 0.5, delay)
    rows0, _ = seer.settle_rows(lambda: server_rows(seer), trial["requests"])
    d0 = seer.tracer_drops()
    half = wrk(port, a.duration, conns, delay)
    half_rows, _ = seer.settle_rows(lambda: server_rows(seer), rows0 + half["requests"])
    d1 = seer.tracer_drops()
    full = wrk(port, a.duration)
    all_rows, _ = seer.settle_rows(lambda: server_rows(seer), half_rows + full["requests"])
    d2 = seer.tracer_drops()
    seer.stop()
    result["half_rate"] = {"rps": half["rps"], "target_rps": traced * 0.5, "conns": conns, "delay_ms": delay,
                           "drops": d1 - d0, "requests": half["requests"], "server_rows": half_rows - rows0}
    result["max_rate"] = {"rps": full["rps"], "drops": d2 - d1, "requests": full["requests"],
                          "server_rows": all_rows - half_rows}


def overload(a, tmp, port, result):
    """A 64 KiB ring buffer cannot hold 100 ms of traffic; drops must be counted and `seer run` over
    that window must warn."""
    seer = Seer(a.seer, tmp, ring="65536")
    over = wrk(port, a.duration)
    time.sleep(2)
    drops = seer.tracer_drops()
    _, stderr = seer.run("import px\npx.display(px.DataFrame(table='http_events', start_time='-2m'), 'x')\n")
    seer.stop()
    result["overload_64k_ring"] = {"rps": over["rps"], "drops": drops,
                                   "seer_run_warned": "dropped" in stderr, "warning": stderr.strip()[:400]}


if __name__ == "__main__":
    main()
