/* SPDX-License-Identifier: (MIT OR GPL-2.0) */
/* Event shared by proc_exit.bpf.c and crates/seer-bpf/src/proc_exit.rs. */
#ifndef SEER_PROC_EXIT_H
#define SEER_PROC_EXIT_H
struct ev_exit {
	__u64 ts;          /* ktime ns */
	__u64 start_ticks; /* process start, clock ticks since boot */
	__u32 tgid;
	__u32 exit_code;   /* task->exit_code: (status << 8) | signal */
	char comm[16];
};
#endif
