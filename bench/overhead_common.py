"""Shared by the eBPF overhead harnesses (bench/http_overhead.py, bench/overhead.py).

Ports, process CPU, BPF program run time (kernel.bpf_stats_enabled + bpftool), tracefs, a `seer up`
agent driven through `seer run` (row counts, self_telemetry counters), and small statistics helpers.
Everything runs as root on loopback; nothing here knows a workload.
"""
import contextlib
import json
import os
import signal
import socket
import subprocess
import tempfile
import time

TICK = os.sysconf("SC_CLK_TCK")
TRACEFS = "/sys/kernel/tracing"
SERVER = 2  # trace_role of the server side


# Store cap for the overhead runs. A cap, not an allocation: a run builds up to a million rows, which
# would overflow a table's share of the default 1 GiB, and rows evicted before they are counted would
# read as lost.
STORE_BUDGET = "16 GiB"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def proc_cpu_s(pid):
    """user + sys CPU seconds of `pid` so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def bpf_prog_stats():
    """(run_time_ns, run_cnt) summed over Seer's socket-tracer programs, or None without bpftool."""
    try:
        out = subprocess.run(["bpftool", "prog", "show", "--json"], capture_output=True, text=True).stdout
        progs = json.loads(out or "[]")
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    ns = cnt = 0
    for p in progs:
        if p.get("name", "").startswith(("seer_sys_", "seer_e_", "seer_x_")):
            ns += p.get("run_time_ns", 0)
            cnt += p.get("run_cnt", 0)
    return ns, cnt


@contextlib.contextmanager
def bpf_stats_enabled():
    """Turns kernel.bpf_stats_enabled on for the block and restores the previous value."""
    path = "/proc/sys/kernel/bpf_stats_enabled"
    with open(path) as f:
        before = f.read().strip()
    with open(path, "w") as f:
        f.write("1")
    try:
        yield
    finally:
        with open(path, "w") as f:
            f.write(before)


def ensure_tracefs():
    """Mounts tracefs for the per-syscall tracepoints if needed; True if this run mounted it."""
    if os.path.isdir(os.path.join(TRACEFS, "events", "syscalls")):
        return False
    subprocess.run(["mount", "-t", "tracefs", "nodev", TRACEFS], check=True)
    return True


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def load_average():
    return list(os.getloadavg())


class Seer:
    """`seer up` with its own config, data dir and API port; queried with `seer run`."""

    def __init__(self, binary, tmp, ring=None, hooks=None, store_budget=None):
        self.binary = binary
        self.dir = tempfile.mkdtemp(dir=tmp)
        self.port = free_port()
        conf = os.path.join(self.dir, "seer.toml")
        with open(conf, "w") as f:
            if store_budget:
                # A cap, not an allocation: big enough that no row of the run is evicted before it is
                # counted (each table gets a share of it).
                f.write(f'[store]\nmemory_budget = "{store_budget}"\n')
            f.write("[collect]\n")
            if ring:
                f.write(f"ring_buffer = {ring}\n")
            if hooks:
                f.write(f'syscall_hooks = "{hooks}"\n')
        self.log = open(os.path.join(self.dir, "seer.log"), "w")
        self.proc = subprocess.Popen(
            [binary, "up", "--config", conf, "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.dir, "--no-ui"],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_port(self.port)
        deadline = time.time() + 30
        while "socket tracer attached" not in open(self.log.name).read():
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("seer up did not attach the socket tracer: " + open(self.log.name).read()[-2000:])
            time.sleep(0.2)

    def run(self, pxl):
        """Runs a PxL script; returns (tables by output name, stderr)."""
        r = subprocess.run([self.binary, "run", "-", "-o", "json", "--addr", f"http://127.0.0.1:{self.port}",
                            "--data-dir", self.dir], input=pxl, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"seer run failed: {r.stderr}")
        return json.loads(r.stdout), r.stderr

    def count_rows(self, table, local_port=None):
        """Server-side rows of `table` in the last 5 minutes, optionally of one server port."""
        where = "df = df[df.trace_role == 2]\n"
        if local_port is not None:
            where += f"df = df[df.local_port == {int(local_port)}]\n"
        rows, _ = self.run(f"import px\ndf = px.DataFrame(table='{table}', start_time='-5m')\n{where}"
                           "px.display(df.groupby('trace_role').agg(n=('latency', px.count)), 'n')\n")
        return sum(int(x["n"]) for x in rows.get("n", []))

    def settle_rows(self, count, expected=0, timeout=90):
        """Polls `count()` until the agent has worked off the ring: the count is unchanged for 2 s once
        it reaches `expected` (6 s while below it: the agent may still be draining, or rows were
        lost); returns (rows, seconds)."""
        start, last, same_since = time.time(), -1, None
        while time.time() - start < timeout:
            n = count()
            if n == last and n > 0:
                if same_since and time.time() - same_since >= (2 if n >= expected else 6):
                    break
            else:
                last, same_since = n, time.time()
            time.sleep(0.5)
        return last, round(time.time() - start, 1)

    def wait_idle(self, timeout=90, window=0.5, busy_s=0.02):
        """Waits until the agent has worked off the ring buffer: its CPU time grows by at most `busy_s`
        over `window` seconds (an idle agent only wakes to drain an empty ring). Returns its user+sys
        CPU seconds then, so a caller's per-request CPU covers the catch-up but not the queries that
        count rows afterwards."""
        start, prev = time.time(), proc_cpu_s(self.proc.pid)
        while time.time() - start < timeout:
            time.sleep(window)
            now = proc_cpu_s(self.proc.pid)
            if now - prev <= busy_s:
                return now
            prev = now
        return prev

    def telemetry(self, name, kind=None):
        """The latest (max, they are cumulative) self_telemetry counters of one component, or {}."""
        where = f"df = df[df.name == '{name}']\n" + (f"df = df[df.kind == '{kind}']\n" if kind else "")
        cols = ("rows_ingested", "rows_dropped", "errors", "bytes_evicted")
        aggs = ", ".join(f"{c}=('{c}', px.max)" for c in cols)
        out, _ = self.run(f"import px\ndf = px.DataFrame(table='self_telemetry', start_time='-5m')\n{where}"
                          f"px.display(df.groupby('name').agg({aggs}), 't')\n")
        rows = out.get("t", [])
        return {c: int(rows[0][c]) for c in cols} if rows else {}

    def tracer_drops(self):
        """Events the socket tracer dropped (BPF ring full, lost arguments, …) since start."""
        return self.telemetry("socket_tracer").get("rows_dropped", 0)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def write_result(result, out):
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result, indent=2))
