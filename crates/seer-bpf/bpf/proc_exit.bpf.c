// SPDX-License-Identifier: (MIT OR GPL-2.0)
/* Seer process-exit tracer: tp_btf/sched_process_exit, thread-group leaders only. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "proc_exit.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} exits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} exit_stats SEC(".maps");

SEC("tp_btf/sched_process_exit")
int BPF_PROG(seer_proc_exit, struct task_struct *p)
{
	__u32 pid = BPF_CORE_READ(p, pid);
	__u32 tgid = BPF_CORE_READ(p, tgid);
	if (pid != tgid)
		return 0;
	__u32 idx = 0;
	struct ev_exit *e = bpf_ringbuf_reserve(&exits, sizeof(*e), 0);
	if (!e) {
		idx = 1;
		__u64 *c = bpf_map_lookup_elem(&exit_stats, &idx);
		if (c)
			*c += 1;
		return 0;
	}
	e->ts = bpf_ktime_get_ns();
	e->tgid = tgid;
	e->exit_code = BPF_CORE_READ(p, exit_code);
	e->start_ticks = BPF_CORE_READ(p, start_boottime) / 10000000ULL;
	BPF_CORE_READ_STR_INTO(&e->comm, p, comm);
	bpf_ringbuf_submit(e, 0);
	__u64 *c = bpf_map_lookup_elem(&exit_stats, &idx);
	if (c)
		*c += 1;
	return 0;
}
