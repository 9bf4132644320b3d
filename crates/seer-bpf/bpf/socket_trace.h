/* SPDX-License-Identifier: (MIT OR GPL-2.0) */
/* Events shared by socket_trace.bpf.c and the Rust decoder (crates/seer-bpf/src/socket/event.rs).
 * Layout is little-endian, naturally aligned; keep both sides in sync (a Rust test checks sizes). */
#ifndef SEER_SOCKET_TRACE_H
#define SEER_SOCKET_TRACE_H

#define EV_OPEN 1
#define EV_DATA 2
#define EV_CLOSE 3
#define EV_EXEC 4 /* header only: tgid exec'd (TLS library discovery) */

#define ROLE_CLIENT 1
#define ROLE_SERVER 2
#define ROLE_UNKNOWN 4

#define DIR_EGRESS 0
#define DIR_INGRESS 1

#define SRC_SYSCALL 0
#define SRC_TLS 1

/* Largest payload one event carries (per-CPU scratch; per-CPU values are limited to 32 KiB). */
#define MAX_PAYLOAD 16384
/* Upper bound of chunks per syscall (the configured limit is <= this). */
#define MAX_CHUNKS 8
/* iovecs looked at per readv/writev/sendmsg/recvmsg, messages per sendmmsg/recvmmsg. */
#define MAX_IOV 8
#define MAX_MMSG 4
#define MAX_SEGS 16

/* Per-CPU counters (index into the `stats` array). */
#define STAT_EVENTS 0        /* events written to the ring */
#define STAT_DROPPED 1       /* events lost: ring full */
#define STAT_BYTES_SKIPPED 2 /* payload bytes not captured (beyond the chunk limit) */
#define STAT_ARGS_LOST 3     /* syscall entries lost: no task storage for the args */
#define STAT_CONN_LOST 4     /* connections not tracked: conn map update failed */
#define STAT_DATA_BYTES 5    /* payload bytes captured */
#define STAT_TLS_NO_FD 6     /* TLS-library calls whose socket could not be found */
#define STAT_COUNT 8

struct ev_header {
	__u32 kind;
	__u32 tgid;
	__s32 fd;
	__u32 role;
	__u64 gen;      /* connection generation: ktime when first seen */
	__u64 ts;       /* ktime (CLOCK_MONOTONIC ns) of the event */
};

struct ev_open {
	struct ev_header h;
	__u64 start_ticks; /* process start, clock ticks since boot (field 22 of /proc/<pid>/stat) */
	__u16 family;      /* AF_INET / AF_INET6 */
	__u16 sock_type;   /* SOCK_STREAM / SOCK_DGRAM */
	__u16 lport;       /* host order */
	__u16 rport;       /* host order */
	__u8 laddr[16];    /* IPv4 in the first 4 bytes */
	__u8 raddr[16];
};

/* The peer address a datagram syscall named (sendto/sendmsg destination, recvfrom/recvmsg source).
 * Only sent when the syscall carried one: it then opens ev_data.data and the payload follows it. */
struct ev_peer {
	__u16 family;   /* AF_INET / AF_INET6 */
	__u16 port;     /* host order */
	__u32 pad;
	__u8 addr[16];  /* IPv4 in the first 4 bytes */
};
#define PEER_SIZE 24

struct ev_data {
	struct ev_header h;
	__u64 pos;      /* byte offset of the payload in this direction's stream */
	__u32 len;      /* payload bytes (after the ev_peer, if any) */
	__u32 msg_size; /* bytes the syscall transferred from `pos` on (len == 0: none captured) */
	__u8 dir;
	__u8 syscall;   /* x86_64 syscall number, truncated (0 for TLS-library plaintext) */
	__u8 source;    /* SRC_SYSCALL, or SRC_TLS: plaintext from SSL_read/SSL_write (own positions) */
	__u8 peer;      /* PEER_SIZE: data[] starts with a struct ev_peer; 0: no peer, payload only */
	__u8 pad[4];
	__u8 data[PEER_SIZE + MAX_PAYLOAD];
};

struct ev_close {
	struct ev_header h;
	__u64 wr_bytes;
	__u64 rd_bytes;
};

#endif
