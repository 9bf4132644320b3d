// SPDX-License-Identifier: (MIT OR GPL-2.0)
/* Seer socket tracer: raw syscall tracepoints (tp_btf sys_enter/sys_exit, no kprobes, no tracefs)
 * that follow every AF_INET/AF_INET6 socket of every process except Seer itself, and send
 * connection open/close events and payload chunks to user space through one ring buffer.
 *
 * Per syscall: sys_enter checks the syscall number, that the fd is an INET socket (CO-RE walk of the
 * task's fd table) and stashes the arguments per thread; sys_exit reads the result, finds or creates
 * the connection (generation = first-seen ktime), advances its per-direction byte position and
 * copies the payload (bounded per event, chunked up to a limit, the rest only counted). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "socket_trace.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile __u32 self_tgid = 0;
const volatile __u32 max_payload = 4096;  /* <= MAX_PAYLOAD */
const volatile __u32 chunk_limit = 4;     /* <= MAX_CHUNKS */

#define AF_INET 2
#define AF_INET6 10
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define EINPROGRESS 115

/* x86_64 syscall numbers */
#define NR_read 0
#define NR_write 1
#define NR_close 3
#define NR_readv 19
#define NR_writev 20
#define NR_sendfile 40
#define NR_sendfile64 NR_sendfile /* the tracepoint's name */
#define NR_connect 42
#define NR_accept 43
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47
#define NR_accept4 288
#define NR_recvmmsg 299
#define NR_sendmmsg 307

struct conn_info {
	__u64 gen;
	__u64 wr_bytes;
	__u64 rd_bytes;
	__u64 tls_wr;   /* plaintext positions, once a TLS library is seen on the connection */
	__u64 tls_rd;
	__u32 role;
	__u32 tls;      /* 1: payload comes from the TLS-library probes; syscalls only count bytes */
};

struct args {
	__u64 a1; /* fd */
	__u64 a2; /* buffer / iovec / msghdr / mmsghdr */
	__u64 a3; /* count / iovcnt / vlen */
	__u64 a5; /* sendto: dest_addr, recvfrom: src_addr (NULL on connected sockets); else 0 */
	__u64 a6; /* sendto: addrlen, recvfrom: socklen_t *addrlen; else 0 */
	__u32 nr;
	__u32 valid; /* set by sys_enter, cleared by sys_exit */
};

struct seg {
	__u64 ptr;
	__u64 len;
};

struct segs {
	struct seg s[MAX_SEGS];
};

/* segs_from_iov reads a user iovec array straight into a segment list. */
_Static_assert(sizeof(struct seg) == sizeof(struct iovec), "struct seg must match struct iovec");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 131072);
	__type(key, __u64);  /* tgid << 32 | fd */
	__type(value, struct conn_info);
} conns SEC(".maps");

/* Connections user space asked to stop sending payload for (key as `conns`, value = generation). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u64);
} conn_disabled SEC(".maps");

/* A TLS-library call in progress on a thread (uprobes, see below). */
struct tls_call {
	__u64 ssl;
	__u64 buf;
	__u64 outp; /* size_t * of the _ex variants (bytes moved), else 0 */
	__s32 fd;   /* socket fd used inside the call, -1 if none yet */
	__u32 op;   /* TLS_WRITE / TLS_READ; 0 = not in a call */
};

/* Per-thread state in task-local storage (a pointer in task_struct, no hashing): the traced syscall
 * the thread is in, and the TLS call around it. One lookup per hook. */
struct thread_state {
	struct args sc;
	struct tls_call tls;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct thread_state);
} threads SEC(".maps");

static __always_inline void stat_add(__u32 idx, __u64 v);

/* This thread's state, created on first use (NULL, counted, if storage cannot be had). */
static __always_inline struct thread_state *thread_state(void)
{
	struct thread_state *ts = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0,
							BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		stat_add(STAT_ARGS_LOST, 1);
	return ts;
}

/* Where a data event is assembled before it is copied to the ring: one per CPU (indexed by CPU id;
 * user space sizes the map to the possible CPUs). An event gathers the pieces of several iovecs, so a
 * piece of up to MAX_PAYLOAD bytes may start anywhere below MAX_PAYLOAD: the slack behind the event
 * lets the verifier prove every copy stays inside (a per-CPU array value cannot be this large). */
struct ev_stage {
	struct ev_data ev;
	__u8 slack[MAX_PAYLOAD];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ev_stage);
} data_heap SEC(".maps");

/* This CPU's staging event (NULL if the map has no slot for it). */
static __always_inline struct ev_data *stage(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct ev_stage *st = bpf_map_lookup_elem(&data_heap, &cpu);
	return st ? &st->ev : NULL;
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct segs);
} seg_heap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Loop state lives in per-CPU maps, not on the stack, so the verifier treats it as unknown and
 * checks each bpf_loop callback once instead of once per distinct value. */
struct emit_state;

static __always_inline void stat_add(__u32 idx, __u64 v)
{
	__u64 *c = bpf_map_lookup_elem(&stats, &idx);
	if (c)
		*c += v;
}

/* The socket behind `fd` of the current task if it is an INET socket, else NULL. */
static __always_inline struct socket *inet_socket(int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if (fd < 0 || !fdt || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	if (!f)
		return NULL;
	if ((BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	struct socket *sock = BPF_CORE_READ(f, private_data);
	if (!sock)
		return NULL;
	__u16 family = BPF_CORE_READ(sock, sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return NULL;
	return sock;
}

static __always_inline __u64 start_ticks(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	__u64 ns = BPF_CORE_READ(task, group_leader, start_boottime);
	return ns / 10000000ULL; /* USER_HZ = 100 */
}

static __always_inline void fill_header(struct ev_header *h, __u32 kind, __u32 tgid, int fd,
					 struct conn_info *c, __u64 ts)
{
	h->kind = kind;
	h->tgid = tgid;
	h->fd = fd;
	h->role = c->role;
	h->gen = c->gen;
	h->ts = ts;
}

static __always_inline void emit_open(__u32 tgid, int fd, struct conn_info *c, struct socket *sock,
				       __u64 ts)
{
	struct ev_open *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_add(STAT_DROPPED, 1);
		return;
	}
	fill_header(&e->h, EV_OPEN, tgid, fd, c, ts);
	e->start_ticks = start_ticks();
	struct sock *sk = BPF_CORE_READ(sock, sk);
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->sock_type = BPF_CORE_READ(sock, type);
	e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	__builtin_memset(e->laddr, 0, sizeof(e->laddr));
	__builtin_memset(e->raddr, 0, sizeof(e->raddr));
	if (e->family == AF_INET) {
		bpf_core_read(e->laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(e->raddr, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_core_read(e->laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(e->raddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	stat_add(STAT_EVENTS, 1);
}

/* A fresh connection (connect/accept, or first sight of an existing one). */
static __always_inline struct conn_info *new_conn(__u32 tgid, int fd, __u32 role, struct socket *sock,
						  __u64 ts)
{
	__u64 key = ((__u64)tgid << 32) | (__u32)fd;
	struct conn_info c = { .gen = ts, .role = role };
	if (bpf_map_update_elem(&conns, &key, &c, BPF_ANY)) {
		stat_add(STAT_CONN_LOST, 1);
		return NULL;
	}
	struct conn_info *p = bpf_map_lookup_elem(&conns, &key);
	if (p)
		emit_open(tgid, fd, p, sock, ts);
	return p;
}

/* Global: connect/accept made `fd` a connection of this process. */
__noinline int on_open(__u32 tgid, int fd, __u32 role, __u64 ts)
{
	struct socket *sock = inet_socket(fd);
	if (sock)
		new_conn(tgid, fd, role, sock, ts);
	return 0;
}

/* A payload-less data event: `bytes` at `pos` were transferred but not captured (sendfile, or beyond
 * the chunk limit), so user space can account for them at once. */
static __always_inline void emit_skip(__u32 tgid, int fd, struct conn_info *c, __u8 dir, __u64 pos,
				      __u64 bytes, __u64 ts)
{
	struct ev_data *e = stage();
	if (!e)
		return;
	fill_header(&e->h, EV_DATA, tgid, fd, c, ts);
	e->pos = pos;
	e->len = 0;
	e->msg_size = bytes > 0xffffffff ? 0xffffffff : (__u32)bytes;
	e->dir = dir;
	e->syscall = 0;
	e->source = SRC_SYSCALL;
	e->peer = 0;
	if (bpf_ringbuf_output(&events, e, __builtin_offsetof(struct ev_data, data), BPF_RB_NO_WAKEUP) == 0)
		stat_add(STAT_EVENTS, 1);
	else
		stat_add(STAT_DROPPED, 1);
}

/* Copies `segs[0..n]` (user buffers holding `total` bytes in order) as data events starting at `pos`. */
struct emit_req {
	__u64 pos;
	__u64 total;
	__u64 ts;
	__u32 tgid;
	__s32 fd;
	__u32 n;
	__u8 dir;
	__u8 nr;
	__u8 source;
	__u8 peer; /* PEER_SIZE: the staging event's data[] already holds the datagram's ev_peer */
};

/* bpf_loop state: walks the segment list, copying one piece (the rest of a segment, or what still
 * fits in the event) per iteration; an event is sent when it is full, when the bytes run out or at
 * the end of the list, so the iovecs of one call (e.g. a head and a body) travel as one event. */
struct emit_state {
	__u64 pos;      /* stream position of the next byte to copy */
	__u64 left;     /* bytes of the call not yet copied or skipped */
	__u64 captured;
	__u64 off;      /* offset in the current segment */
	__u64 ts;
	__u64 gen;
	__u32 tgid;
	__s32 fd;
	__u32 role;
	__u32 n;
	__u32 si;
	__u32 chunks;   /* events sent (or lost) */
	__u32 fill;     /* payload bytes staged in the event being assembled */
	__u32 cap;      /* payload bytes per event */
	__u8 dir;
	__u8 nr;
	__u8 source;
	__u8 peer;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct emit_state);
} emit_heap SEC(".maps");

/* Sends the staged event (its `fill` bytes end at st->pos), if any. */
static __always_inline void emit_flush(struct emit_state *st, struct ev_data *e)
{
	__u32 len = st->fill;
	if (len == 0)
		return;
	if (len > MAX_PAYLOAD)
		len = MAX_PAYLOAD;
	__u32 hdr = st->peer;
	if (hdr > PEER_SIZE)
		hdr = PEER_SIZE;
	e->h.kind = EV_DATA;
	e->h.tgid = st->tgid;
	e->h.fd = st->fd;
	e->h.role = st->role;
	e->h.gen = st->gen;
	e->h.ts = st->ts;
	e->pos = st->pos - len;
	e->len = len;
	/* What the call moved from this event's start on (as if the event had been cut there). */
	__u64 from_here = st->left + len;
	e->msg_size = from_here > 0xffffffff ? 0xffffffff : (__u32)from_here;
	e->dir = st->dir;
	e->syscall = st->nr;
	e->source = st->source;
	e->peer = (__u8)hdr;
	__u64 size = __builtin_offsetof(struct ev_data, data) + (__u64)hdr + (__u64)len;
	if (size > sizeof(*e))
		size = sizeof(*e);
	if (bpf_ringbuf_output(&events, e, size, BPF_RB_NO_WAKEUP) == 0) {
		stat_add(STAT_EVENTS, 1);
		st->captured += len;
	} else {
		stat_add(STAT_DROPPED, 1);
	}
	st->chunks++;
	st->fill = 0;
}

static long emit_one(__u64 idx, void *ctx)
{
	__u32 k0 = 0;
	struct emit_state *st = bpf_map_lookup_elem(&emit_heap, &k0);
	struct ev_data *e = stage();
	struct segs *sg = bpf_map_lookup_elem(&seg_heap, &k0);
	if (!st || !e || !sg)
		return 1;
	if (st->si >= st->n || st->left == 0 || st->chunks >= chunk_limit) {
		emit_flush(st, e);
		return 1;
	}
	__u32 si = st->si & (MAX_SEGS - 1);
	__u64 seglen = sg->s[si].len;
	if (st->off >= seglen) {
		st->si++;
		st->off = 0;
		return 0;
	}
	__u64 avail = seglen - st->off;
	if (avail > st->left)
		avail = st->left;
	__u32 fill = st->fill;
	if (fill >= st->cap || fill >= MAX_PAYLOAD) {
		emit_flush(st, e);
		return 0;
	}
	/* 64-bit, so the bound below is checked on the register the copy uses (no 32-bit copy). */
	__u64 room = (__u64)st->cap - fill;
	__u64 len = avail > room ? room : avail;
	barrier_var(len);
	if (len > MAX_PAYLOAD)
		len = MAX_PAYLOAD;
	/* The payload goes after the peer (if any) that emit_segs' caller left in data[]. */
	__u32 hdr = st->peer;
	if (hdr > PEER_SIZE)
		hdr = PEER_SIZE;
	if (bpf_probe_read_user(e->data + hdr + fill, len, (void *)(sg->s[si].ptr + st->off)) == 0) {
		st->fill = fill + (__u32)len;
	} else {
		/* Unreadable: send what came before it; these bytes become a gap. */
		emit_flush(st, e);
		st->chunks++;
	}
	st->off += len;
	st->pos += len;
	st->left -= len;
	if (st->fill >= st->cap)
		emit_flush(st, e);
	if (st->off >= seglen) {
		st->si++;
		st->off = 0;
	}
	/* All bytes copied: emit_segs sends what is staged (one callback for a plain read/write). */
	return st->left == 0 ? 1 : 0;
}

/* Copies `segs[0..n]` (user buffers holding `total` bytes in order) as data events starting at `pos`. */
static __always_inline void emit_segs(struct emit_req *r, struct conn_info *c)
{
	__u32 zero = 0;
	struct emit_state *st = bpf_map_lookup_elem(&emit_heap, &zero);
	if (!st)
		return;
	__u32 cap = max_payload;
	if (cap > MAX_PAYLOAD)
		cap = MAX_PAYLOAD;
	*st = (struct emit_state){
		.pos = r->pos, .left = r->total, .ts = r->ts, .gen = c->gen, .tgid = r->tgid, .fd = r->fd,
		.role = c->role, .n = r->n, .dir = r->dir, .nr = r->nr, .source = r->source, .peer = r->peer,
		.cap = cap,
	};
	/* Each iteration copies a piece, moves to the next segment or sends an event. */
	bpf_loop(2 * MAX_SEGS + 2 * MAX_CHUNKS + 1, emit_one, NULL, 0);
	struct ev_data *e = stage();
	if (e)
		emit_flush(st, e);
	__u64 captured = st->captured;
	stat_add(STAT_DATA_BYTES, captured);
	if (r->total > captured)
		stat_add(STAT_BYTES_SKIPPED, r->total - captured);
}

/* Global (verified once; callers see an unknown count, which keeps their state count down): fills
 * the per-CPU segment list with up to MAX_IOV iovecs; returns the segment count. */
__noinline int segs_from_iov(__u64 iov_ptr, __u64 iovcnt)
{
	__u32 zero = 0;
	struct segs *sg = bpf_map_lookup_elem(&seg_heap, &zero);
	if (!sg)
		return 0;
	/* struct seg has struct iovec's layout: the usual case is one read of the whole array. */
	__u64 n = iovcnt > MAX_IOV ? MAX_IOV : iovcnt;
	barrier_var(n);
	if (n > MAX_IOV)
		n = MAX_IOV;
	if (n == 0)
		return 0;
	/* At syscall exit the kernel has just read this array itself, so its pages are present; if the
	 * read fails anyway, the caller announces the call's bytes as not captured. */
	if (bpf_probe_read_user(sg->s, n * sizeof(struct seg), (void *)iov_ptr))
		return 0;
	return (int)n;
}

/* Global (verified once): copies the user sockaddr at `uaddr` (`ulen` bytes) into the ev_peer slot at
 * the start of this CPU's staging event's data[]; returns PEER_SIZE for AF_INET / AF_INET6, else 0 (no
 * peer). Callers only call it with a non-NULL pointer, so connected sockets (TCP) never get here. */
__noinline int read_peer(__u64 uaddr, __u64 ulen)
{
	struct ev_data *e = stage();
	struct sockaddr_in sin = {};
	if (!e || !uaddr || ulen < sizeof(sin))
		return 0;
	if (bpf_probe_read_user(&sin, sizeof(sin), (void *)uaddr))
		return 0;
	struct ev_peer *p = (struct ev_peer *)e->data;
	__builtin_memset(p, 0, sizeof(*p));
	p->family = sin.sin_family;
	p->port = bpf_ntohs(sin.sin_port);
	if (sin.sin_family == AF_INET) {
		__builtin_memcpy(p->addr, &sin.sin_addr, 4);
		return PEER_SIZE;
	}
	/* sockaddr_in6 up to sin6_addr (24 bytes: the kernel's own minimum, SIN6_LEN_RFC2133). */
	if (sin.sin_family == AF_INET6 && ulen >= 24 &&
	    bpf_probe_read_user(p->addr, 16, (void *)(uaddr + __builtin_offsetof(struct sockaddr_in6, sin6_addr))) == 0)
		return PEER_SIZE;
	return 0;
}

/* sendto/recvfrom: the peer named by dest_addr/src_addr, when the caller passed one. recvfrom's
 * length is read back at exit: the kernel wrote the source's size there (0 when the protocol
 * reports none, e.g. TCP). */
static __always_inline __u8 sockaddr_peer(struct args *a)
{
	if (!a->a5)
		return 0;
	__u64 len = a->a6;
	if (a->nr == NR_recvfrom) {
		__u32 n = 0;
		if (!len || bpf_probe_read_user(&n, sizeof(n), (void *)len))
			return 0;
		len = n;
	}
	return (__u8)read_peer(a->a5, len);
}

/* Fills the per-CPU segment list for a data syscall (and the peer slot, `*peer` = PEER_SIZE, when
 * the syscall names a peer); returns the number of segments. */
static __always_inline __u32 build_segs(struct args *a, __u8 *peer)
{
	__u32 zero = 0;
	struct segs *sg = bpf_map_lookup_elem(&seg_heap, &zero);
	if (!sg)
		return 0;
	switch (a->nr) {
	case NR_sendto:
	case NR_recvfrom:
		*peer = sockaddr_peer(a);
		/* fall through */
	case NR_read:
	case NR_write:
		sg->s[0].ptr = a->a2;
		sg->s[0].len = a->a3;
		return 1;
	case NR_readv:
	case NR_writev:
		return segs_from_iov(a->a2, a->a3);
	case NR_sendmsg:
	case NR_recvmsg: {
		struct user_msghdr mh = {};
		if (bpf_probe_read_user(&mh, sizeof(mh), (void *)a->a2))
			return 0;
		/* recvmsg: the kernel rewrote msg_namelen with the source's size at exit. */
		if (mh.msg_name)
			*peer = (__u8)read_peer((__u64)mh.msg_name, (__u64)(__u32)mh.msg_namelen);
		return segs_from_iov((__u64)mh.msg_iov, mh.msg_iovlen);
	}
	}
	return 0;
}

/* The tracked connection of `fd`, created (role unknown) on first sight of an INET socket. */
static __always_inline struct conn_info *get_conn(__u32 tgid, int fd, __u64 ts)
{
	__u64 key = ((__u64)tgid << 32) | (__u32)fd;
	struct conn_info *c = bpf_map_lookup_elem(&conns, &key);
	if (c)
		return c;
	struct socket *sock = inet_socket(fd);
	if (!sock)
		return NULL;
	return new_conn(tgid, fd, ROLE_UNKNOWN, sock, ts);
}

static __always_inline bool disabled(__u32 tgid, int fd, struct conn_info *c)
{
	__u64 key = ((__u64)tgid << 32) | (__u32)fd;
	__u64 *gen = bpf_map_lookup_elem(&conn_disabled, &key);
	return gen && *gen == c->gen;
}

/* Global (verified once, on its own): a read/write-family syscall moved `bytes`. */
__noinline int on_data(__u32 tgid, struct args *a, __u64 bytes, __u64 ts)
{
	if (!a)
		return 0;
	int fd = (int)a->a1;
	struct conn_info *c = get_conn(tgid, fd, ts);
	if (!c)
		return 0;
	bool egress = a->nr == NR_write || a->nr == NR_writev || a->nr == NR_sendto ||
		      a->nr == NR_sendmsg || a->nr == NR_sendmmsg || a->nr == NR_sendfile;
	__u64 pos;
	if (egress) {
		pos = c->wr_bytes;
		__sync_fetch_and_add(&c->wr_bytes, bytes);
	} else {
		pos = c->rd_bytes;
		__sync_fetch_and_add(&c->rd_bytes, bytes);
	}
	if (c->tls || disabled(tgid, fd, c))
		return 0; /* bytes only (ciphertext when a TLS library is traced) */
	if (a->nr == NR_sendfile) {
		emit_skip(tgid, fd, c, DIR_EGRESS, pos, bytes, ts);
		return 0;
	}
	__u8 peer = 0;
	__u32 n = build_segs(a, &peer);
	if (n == 0) {
		/* The buffer list could not be read: announce the bytes, as for sendfile. */
		emit_skip(tgid, fd, c, egress ? DIR_EGRESS : DIR_INGRESS, pos, bytes, ts);
		stat_add(STAT_BYTES_SKIPPED, bytes);
		return 0;
	}
	struct emit_req r = { .pos = pos, .total = bytes, .ts = ts, .tgid = tgid, .fd = fd, .n = n,
			      .dir = egress ? DIR_EGRESS : DIR_INGRESS, .nr = (__u8)a->nr, .peer = peer };
	emit_segs(&r, c);
	return 0;
}

/* sendmmsg/recvmmsg: `msgs` messages were transferred; each message's length is in msg_len. */
/* Global: sendmmsg/recvmmsg moved `msgs` messages. */
__noinline int on_mmsg(__u32 tgid, struct args *a, __u64 msgs, __u64 ts)
{
	if (!a)
		return 0;
	int fd = (int)a->a1;
	struct conn_info *c = get_conn(tgid, fd, ts);
	if (!c)
		return 0;
	bool egress = a->nr == NR_sendmmsg;
	for (__u32 m = 0; m < MAX_MMSG; m++) {
		if (m >= msgs)
			break;
		struct mmsghdr mm = {};
		if (bpf_probe_read_user(&mm, sizeof(mm), (void *)(a->a2 + m * sizeof(struct mmsghdr))))
			break;
		__u64 bytes = mm.msg_len;
		__u64 pos;
		if (egress) {
			pos = c->wr_bytes;
			__sync_fetch_and_add(&c->wr_bytes, bytes);
		} else {
			pos = c->rd_bytes;
			__sync_fetch_and_add(&c->rd_bytes, bytes);
		}
		if (bytes == 0 || c->tls || disabled(tgid, fd, c))
			continue;
		__u32 n = segs_from_iov((__u64)mm.msg_hdr.msg_iov, mm.msg_hdr.msg_iovlen);
		if (!n) {
			stat_add(STAT_BYTES_SKIPPED, bytes);
			continue;
		}
		/* Each message names its own peer (recvmmsg: msg_namelen rewritten by the kernel). */
		__u8 peer = mm.msg_hdr.msg_name ?
			(__u8)read_peer((__u64)mm.msg_hdr.msg_name, (__u64)(__u32)mm.msg_hdr.msg_namelen) : 0;
		struct emit_req r = { .pos = pos, .total = bytes, .ts = ts, .tgid = tgid, .fd = fd, .n = n,
				      .dir = egress ? DIR_EGRESS : DIR_INGRESS, .nr = (__u8)a->nr, .peer = peer };
		emit_segs(&r, c);
	}
	return 0;
}

static __always_inline void on_close(__u32 tgid, int fd, __u64 ts)
{
	__u64 key = ((__u64)tgid << 32) | (__u32)fd;
	struct conn_info *c = bpf_map_lookup_elem(&conns, &key);
	if (!c)
		return;
	struct ev_close *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		fill_header(&e->h, EV_CLOSE, tgid, fd, c, ts);
		e->wr_bytes = c->wr_bytes;
		e->rd_bytes = c->rd_bytes;
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
		stat_add(STAT_EVENTS, 1);
	} else {
		stat_add(STAT_DROPPED, 1);
	}
	bpf_map_delete_elem(&conn_disabled, &key);
	bpf_map_delete_elem(&conns, &key);
}

static __always_inline bool traced_nr(long nr)
{
	switch (nr) {
	case NR_read:
	case NR_write:
	case NR_close:
	case NR_readv:
	case NR_writev:
	case NR_sendfile:
	case NR_connect:
	case NR_accept:
	case NR_sendto:
	case NR_recvfrom:
	case NR_sendmsg:
	case NR_recvmsg:
	case NR_accept4:
	case NR_recvmmsg:
	case NR_sendmmsg:
		return true;
	}
	return false;
}

/* ---- TLS plaintext: uprobes on SSL_write/SSL_read(_ex) of OpenSSL-compatible libraries ----
 * Entry stashes the call per thread; a socket syscall made inside the call names its fd (and the
 * SSL* -> fd mapping is remembered for calls served from the library's buffers); the return probe
 * copies the plaintext as data events with their own stream positions (SRC_TLS) and marks the
 * connection so its syscalls only count (cipher) bytes from then on. */
#define TLS_WRITE 1
#define TLS_READ 2


struct tls_key {
	__u64 ssl;
	__u32 tgid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct tls_key);
	__type(value, __s32);
} tls_fds SEC(".maps");

/* Inside a TLS call, the first socket syscall names the connection. */
static __always_inline void tls_note_fd(struct tls_call *tc, long id, __u64 fd)
{
	if (id == NR_close || id == NR_connect || id == NR_accept || id == NR_accept4)
		return;
	if (tc->op && tc->fd < 0)
		tc->fd = (__s32)fd;
}

static __always_inline int tls_enter(__u32 op, void *ssl, void *buf, void *outp)
{
	if ((bpf_get_current_pid_tgid() >> 32) == self_tgid)
		return 0;
	struct thread_state *ts = thread_state();
	if (!ts)
		return 0;
	struct tls_call *tc = &ts->tls;
	tc->ssl = (__u64)ssl;
	tc->buf = (__u64)buf;
	tc->outp = (__u64)outp;
	tc->fd = -1;
	tc->op = op;
	return 0;
}

/* Global: a TLS call of this thread moved `bytes` of plaintext. */
__noinline int on_tls(__u32 tgid, struct tls_call *tc, __u64 bytes, __u64 ts)
{
	if (!tc)
		return 0;
	struct tls_key k = { .ssl = tc->ssl, .tgid = tgid };
	__s32 fd = tc->fd;
	if (fd >= 0) {
		bpf_map_update_elem(&tls_fds, &k, &fd, BPF_ANY);
	} else {
		__s32 *known = bpf_map_lookup_elem(&tls_fds, &k);
		if (!known) {
			stat_add(STAT_TLS_NO_FD, 1);
			return 0;
		}
		fd = *known;
	}
	struct conn_info *c = get_conn(tgid, fd, ts);
	if (!c)
		return 0;
	c->tls = 1;
	bool egress = tc->op == TLS_WRITE;
	__u64 pos = egress ? __sync_fetch_and_add(&c->tls_wr, bytes) : __sync_fetch_and_add(&c->tls_rd, bytes);
	__u32 zero = 0;
	struct segs *sg = bpf_map_lookup_elem(&seg_heap, &zero);
	if (!sg)
		return 0;
	sg->s[0].ptr = tc->buf;
	sg->s[0].len = bytes;
	struct emit_req r = { .pos = pos, .total = bytes, .ts = ts, .tgid = tgid, .fd = fd, .n = 1,
			      .dir = egress ? DIR_EGRESS : DIR_INGRESS, .nr = 0, .source = SRC_TLS };
	emit_segs(&r, c);
	return 0;
}

static __always_inline int tls_exit(long rax)
{
	/* All four functions return int: only eax is defined (an int -1, "want read", must not read as
	 * 4 GiB). */
	int ret = (int)rax;
	struct thread_state *ts = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0, 0);
	if (!ts || !ts->tls.op)
		return 0;
	struct tls_call tc = ts->tls;
	ts->tls.op = 0;
	__u64 bytes = 0;
	if (tc.outp) {
		if (ret == 1 && bpf_probe_read_user(&bytes, sizeof(bytes), (void *)tc.outp))
			bytes = 0;
	} else if (ret > 0) {
		bytes = (__u64)ret;
	}
	if (bytes == 0)
		return 0;
	return on_tls(bpf_get_current_pid_tgid() >> 32, &tc, bytes, bpf_ktime_get_ns());
}

/* int SSL_write(SSL *, const void *, int) / int SSL_read(SSL *, void *, int) */
SEC("uprobe")
int BPF_KPROBE(seer_ssl_write, void *ssl, void *buf, int num)
{
	return tls_enter(TLS_WRITE, ssl, buf, NULL);
}

SEC("uprobe")
int BPF_KPROBE(seer_ssl_read, void *ssl, void *buf, int num)
{
	return tls_enter(TLS_READ, ssl, buf, NULL);
}

/* int SSL_write_ex(SSL *, const void *, size_t, size_t *written) / SSL_read_ex(..., size_t *readbytes) */
SEC("uprobe")
int BPF_KPROBE(seer_ssl_write_ex, void *ssl, void *buf, __u64 num, void *written)
{
	return tls_enter(TLS_WRITE, ssl, buf, written);
}

SEC("uprobe")
int BPF_KPROBE(seer_ssl_read_ex, void *ssl, void *buf, __u64 num, void *readbytes)
{
	return tls_enter(TLS_READ, ssl, buf, readbytes);
}

/* exec: user space looks for TLS libraries in the new program right away. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(seer_ssl_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (tgid == self_tgid)
		return 0;
	struct ev_header *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_add(STAT_DROPPED, 1);
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->kind = EV_EXEC;
	e->tgid = tgid;
	e->fd = -1;
	e->ts = bpf_ktime_get_ns();
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

/* The return of any of the four. */
SEC("uretprobe")
int BPF_KRETPROBE(seer_ssl_ret, long ret)
{
	return tls_exit(ret);
}

/* Entry of a traced syscall `id`: stash its arguments per thread if `a1` is (or may become) a
 * traced connection. Shared by both attach modes. */
static __always_inline int sys_enter(long id, __u64 a1, __u64 a2, __u64 a3, __u64 a5, __u64 a6)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if (tgid == self_tgid)
		return 0;
	if (id != NR_accept && id != NR_accept4) {
		/* A tracked connection is an INET socket (entries go at close); only untracked fds need
		 * the fd-table walk. */
		__u64 key = (pid_tgid & 0xffffffff00000000ULL) | (__u32)a1;
		if (!bpf_map_lookup_elem(&conns, &key) && (id == NR_close || !inet_socket((int)a1)))
			return 0;
	}
	struct thread_state *ts = thread_state();
	if (!ts)
		return 0;
	tls_note_fd(&ts->tls, id, a1);
	struct args *slot = &ts->sc;
	slot->nr = (__u32)id;
	slot->a1 = a1;
	slot->a2 = a2;
	slot->a3 = a3;
	if (id == NR_sendto || id == NR_recvfrom) {
		/* Only read back for these two: other syscalls leave them stale, at no cost. */
		slot->a5 = a5;
		slot->a6 = a6;
	}
	slot->valid = 1;
	return 0;
}

/* Exit of a traced syscall `nr` that returned `ret`. */
static __always_inline int sys_exit(long nr, long ret)
{
	struct thread_state *th = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0, 0);
	struct args *ap = th ? &th->sc : NULL;
	if (!ap || !ap->valid || ap->nr != (__u32)nr)
		return 0;
	struct args a = *ap;
	ap->valid = 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u64 ts = bpf_ktime_get_ns();
	switch (a.nr) {
	case NR_connect:
		if (ret == 0 || ret == -EINPROGRESS)
			on_open(tgid, (int)a.a1, ROLE_CLIENT, ts);
		break;
	case NR_accept:
	case NR_accept4:
		if (ret >= 0)
			on_open(tgid, (int)ret, ROLE_SERVER, ts);
		break;
	case NR_close:
		if (ret == 0)
			on_close(tgid, (int)a.a1, ts);
		break;
	case NR_recvmmsg:
	case NR_sendmmsg:
		if (ret > 0)
			on_mmsg(tgid, &a, (__u64)ret, ts);
		break;
	default:
		if (ret > 0)
			on_data(tgid, &a, (__u64)ret, ts);
	}
	return 0;
}

/* Mode 1 (default): the raw syscall tracepoints, one program pair for every syscall, filtered on
 * the number first. No tracefs needed. */
SEC("tp_btf/sys_enter")
int BPF_PROG(seer_sys_enter, struct pt_regs *regs, long id)
{
	if (!traced_nr(id))
		return 0;
	/* The peer arguments only for the two syscalls that have them: plain loads through the
	 * BTF-typed regs (no helper call), and nothing at all for the other syscalls. */
	__u64 a5 = 0, a6 = 0;
	if (id == NR_sendto || id == NR_recvfrom) {
		a5 = PT_REGS_PARM5_SYSCALL(regs);
		a6 = PT_REGS_PARM6_SYSCALL(regs);
	}
	return sys_enter(id, PT_REGS_PARM1_CORE_SYSCALL(regs), PT_REGS_PARM2_CORE_SYSCALL(regs),
			 PT_REGS_PARM3_CORE_SYSCALL(regs), a5, a6);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(seer_sys_exit, struct pt_regs *regs, long ret)
{
	long nr = BPF_CORE_READ(regs, orig_ax);
	if (!traced_nr(nr))
		return 0;
	return sys_exit(nr, ret);
}

/* Mode 2: the per-syscall tracepoints (syscalls:sys_enter_X / sys_exit_X; need tracefs): run only
 * for the traced syscalls. Programs are named seer_e_X / seer_x_X. */
/* A tracepoint record holds only the syscall's own arguments: reading past them makes the attach
 * fail with EACCES, hence the 1-argument variant for close. */
#define SYSCALL_PAIR_ARGS(name, a1, a2, a3, a5, a6)                               \
	SEC("tracepoint/syscalls/sys_enter_" #name)                                \
	int seer_e_##name(struct trace_event_raw_sys_enter *ctx)                  \
	{                                                                         \
		return sys_enter(NR_##name, a1, a2, a3, a5, a6);                    \
	}                                                                         \
	SEC("tracepoint/syscalls/sys_exit_" #name)                                 \
	int seer_x_##name(struct trace_event_raw_sys_exit *ctx)                   \
	{                                                                         \
		return sys_exit(NR_##name, ctx->ret);                               \
	}
#define SYSCALL_PAIR(name) SYSCALL_PAIR_ARGS(name, ctx->args[0], ctx->args[1], ctx->args[2], 0, 0)
/* sendto/recvfrom (6 arguments): also the peer address and its length. */
#define SYSCALL_PAIR_PEER(name)                                                   \
	SYSCALL_PAIR_ARGS(name, ctx->args[0], ctx->args[1], ctx->args[2], ctx->args[4], ctx->args[5])

SYSCALL_PAIR(read)
SYSCALL_PAIR(write)
SYSCALL_PAIR_ARGS(close, ctx->args[0], 0, 0, 0, 0)
SYSCALL_PAIR(readv)
SYSCALL_PAIR(writev)
SYSCALL_PAIR(sendfile64)
SYSCALL_PAIR(connect)
SYSCALL_PAIR(accept)
SYSCALL_PAIR_PEER(sendto)
SYSCALL_PAIR_PEER(recvfrom)
SYSCALL_PAIR(sendmsg)
SYSCALL_PAIR(recvmsg)
SYSCALL_PAIR(accept4)
SYSCALL_PAIR(recvmmsg)
SYSCALL_PAIR(sendmmsg)
