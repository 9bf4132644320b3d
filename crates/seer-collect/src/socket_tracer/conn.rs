//! One tracked connection: addresses, role, per-direction stream positions, the protocol session.

use std::net::SocketAddr;
use std::sync::Arc;

use seer_bpf::socket::{ConnOpen, DataDirection, SocketRole};
use seer_protocols::{
    ChunkMeta, ConnMeta, Direction, Protocol, ProtocolConfig, Session, TableWriter, TraceRole, TrafficProtocol,
};
use seer_types::Upid;

/// Where protocol detection stands for a connection.
pub(crate) enum ProtoState {
    /// No data classified yet; `tries` data chunks looked at.
    Unknown { tries: u32 },
    /// Parsing with this protocol.
    Known {
        proto: Arc<dyn Protocol>,
        session: Box<dyn Session>,
    },
    /// Not a protocol we parse (or it stopped being one): only bytes are counted.
    Ignored(TrafficProtocol),
}

/// How many data chunks are looked at before a connection is declared not-ours.
const MAX_INFER_TRIES: u32 = 4;

/// One data event, as the connection sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk<'a> {
    pub dir: Direction,
    /// Stream position of `data[0]` (plaintext positions when `tls`).
    pub pos: u64,
    /// Bytes moved from `pos` on (more than `data` when capture was cut).
    pub msg_size: u32,
    pub wall_ns: u64,
    pub data: &'a [u8],
    /// TLS-library plaintext rather than syscall payload.
    pub tls: bool,
    /// The peer the syscall named (unconnected datagram sockets), passed on to the session.
    pub peer: Option<SocketAddr>,
}

/// Per-connection state.
pub(crate) struct Conn {
    pub meta: ConnMeta,
    pub family_v6: bool,
    pub proto: ProtoState,
    /// Next expected stream position per direction (index: 0 egress, 1 ingress).
    pub next_pos: [u64; 2],
    /// Bytes per direction as counted by BPF (highest pos + size seen).
    pub bytes: [u64; 2],
    /// Bytes already folded into `conn_stats`.
    pub reported: [u64; 2],
    /// Whether the open was counted in `conn_stats`.
    pub open_reported: bool,
    /// Last activity (monotonic ns).
    pub last_ns: u64,
    /// BPF was asked to stop sending payload.
    pub disabled: bool,
    /// Payload comes from a TLS library's plaintext (positions in `tls_bytes`).
    pub tls: bool,
    /// Plaintext bytes per direction (highest pos + size seen) once `tls`.
    pub tls_bytes: [u64; 2],
    /// The peer is on this host and local client sides are not recorded (unless the protocol
    /// asks for them): once classified as a client, the connection only counts bytes.
    pub skip_if_client: bool,
}

pub(crate) fn role_of(r: SocketRole) -> TraceRole {
    match r {
        SocketRole::Client => TraceRole::Client,
        SocketRole::Server => TraceRole::Server,
        SocketRole::Unknown => TraceRole::Unknown,
    }
}

pub(crate) fn dir_of(d: DataDirection) -> Direction {
    match d {
        DataDirection::Egress => Direction::Egress,
        DataDirection::Ingress => Direction::Ingress,
    }
}

fn idx(d: Direction) -> usize {
    match d {
        Direction::Egress => 0,
        Direction::Ingress => 1,
    }
}

fn split(a: SocketAddr) -> (String, u16) {
    (a.ip().to_string(), a.port())
}

/// The peer is this host: loopback, or the local address itself.
fn local_peer(local: SocketAddr, remote: SocketAddr) -> bool {
    let canon = |ip: std::net::IpAddr| ip.to_canonical();
    let r = canon(remote.ip());
    r.is_loopback() || (!r.is_unspecified() && r == canon(local.ip()))
}

impl Conn {
    /// A connection from its open event.
    pub fn from_open(o: &ConnOpen, asid: u32, local_clients: bool) -> Self {
        let (local_addr, local_port) = split(o.local);
        let (remote_addr, remote_port) = split(o.remote);
        Self {
            meta: ConnMeta {
                upid: Upid::new(asid, o.key.tgid, o.start_ticks),
                local_addr,
                local_port,
                remote_addr,
                remote_port,
                role: role_of(o.role),
                encrypted: false,
            },
            family_v6: o.remote.is_ipv6(),
            proto: ProtoState::Unknown { tries: 0 },
            next_pos: [0; 2],
            bytes: [0; 2],
            reported: [0; 2],
            open_reported: false,
            last_ns: o.ts_ns,
            disabled: false,
            tls: false,
            tls_bytes: [0; 2],
            skip_if_client: !local_clients && local_peer(o.local, o.remote),
        }
    }

    /// Bytes per direction of the stream the session parses (plaintext once `tls`).
    fn stream_bytes(&self) -> [u64; 2] {
        if self.tls { self.tls_bytes } else { self.bytes }
    }

    /// The protocol for `conn_stats` (unknown until classified).
    pub fn protocol(&self) -> TrafficProtocol {
        match &self.proto {
            ProtoState::Unknown { .. } => TrafficProtocol::Unknown,
            ProtoState::Known { proto, .. } => proto.id(),
            ProtoState::Ignored(p) => *p,
        }
    }

    /// TLS plaintext arrived: from now on the connection is parsed from the TLS library's plaintext
    /// stream (its own positions, from 0) and syscall payload (ciphertext) is ignored.
    fn switch_to_tls(&mut self) {
        self.tls = true;
        self.meta.encrypted = true;
        self.proto = ProtoState::Unknown { tries: 0 };
        self.next_pos = [0; 2];
        self.tls_bytes = [0; 2];
    }

    /// Accounts one chunk; returns `true` when the connection should no longer receive syscall
    /// payload.
    pub fn on_data(&mut self, ch: &Chunk<'_>, cfg: &ProtocolConfig) -> bool {
        let Chunk {
            dir,
            pos,
            msg_size,
            wall_ns,
            data,
            tls,
            peer,
        } = *ch;
        let i = idx(dir);
        if tls && !self.tls {
            self.switch_to_tls();
        }
        let end = pos.saturating_add(u64::from(msg_size));
        match (tls, self.tls) {
            (false, true) => {
                // Ciphertext of a connection whose plaintext is traced: bytes only.
                self.bytes[i] = self.bytes[i].max(end);
                return false;
            }
            (true, _) => self.tls_bytes[i] = self.tls_bytes[i].max(end),
            (false, false) => self.bytes[i] = self.bytes[i].max(end),
        }
        if data.is_empty() && matches!(self.proto, ProtoState::Unknown { .. }) {
            return false;
        }
        if let ProtoState::Unknown { tries } = &mut self.proto {
            match seer_protocols::infer(data) {
                Some((proto, kind)) => {
                    if self.meta.role == TraceRole::Unknown {
                        self.meta.role = TraceRole::infer(dir, kind);
                    }
                    if self.skip_if_client && self.meta.role == TraceRole::Client && !proto.records_local_clients() {
                        self.proto = ProtoState::Ignored(proto.id());
                        return true;
                    }
                    let session = proto.new_session(self.meta.role, cfg);
                    self.proto = ProtoState::Known { proto, session };
                    // Parsing starts at this chunk in this direction; the other direction starts at
                    // its next chunk.
                    self.next_pos[i] = pos;
                    self.next_pos[1 - i] = self.stream_bytes()[1 - i];
                }
                None => {
                    *tries += 1;
                    if *tries >= MAX_INFER_TRIES {
                        self.proto = ProtoState::Ignored(TrafficProtocol::Unknown);
                        return true;
                    }
                    return false;
                }
            }
        }
        let ProtoState::Known { session, .. } = &mut self.proto else {
            return false;
        };
        let mut expected = self.next_pos[i];
        if pos > expected {
            session.gap(dir, pos - expected);
            expected = pos;
        }
        let data_end = pos.saturating_add(data.len() as u64);
        if data_end > expected {
            let skip = usize::try_from(expected - pos).unwrap_or(usize::MAX);
            let meta = ChunkMeta { ts_ns: wall_ns, peer };
            session.feed(dir, meta, data.get(skip..).unwrap_or_default());
            expected = data_end;
        }
        if data.is_empty() {
            // Transferred but not captured: account for it now so the message can complete.
            let end = pos.saturating_add(u64::from(msg_size));
            if end > expected {
                session.gap(dir, end - expected);
                expected = end;
            }
        }
        self.next_pos[i] = expected;
        if !session.wants_data() {
            let p = self.protocol();
            self.proto = ProtoState::Ignored(p);
            return true;
        }
        false
    }

    /// Runs `f` on the session and its protocol's writer, if the connection has a session.
    fn with_session(
        &mut self,
        writers: &mut Writers,
        f: impl FnOnce(&mut dyn Session, &ConnMeta, &mut dyn TableWriter),
    ) {
        if let ProtoState::Known { proto, session } = &mut self.proto
            && let Some(w) = writers.get(proto)
        {
            f(session.as_mut(), &self.meta, w);
        }
    }

    /// Runs the session's parser/stitcher into the writer of the session's protocol.
    pub fn poll(&mut self, now_wall_ns: u64, writers: &mut Writers) {
        self.with_session(writers, |s, meta, w| s.poll(meta, now_wall_ns, w));
    }

    /// Stitches the session's complete pairs now (see [`Session::stitch_ready`]).
    pub fn stitch_ready(&mut self, writers: &mut Writers) {
        self.with_session(writers, |s, meta, w| s.stitch_ready(meta, w));
    }

    /// The session's queues are filling up between flushes (see [`Session::wants_poll`]).
    pub fn wants_poll(&self) -> bool {
        matches!(&self.proto, ProtoState::Known { session, .. } if session.wants_poll())
    }

    /// The connection closed: flush the session.
    pub fn close(&mut self, wr: u64, rd: u64, now_wall_ns: u64, writers: &mut Writers) {
        self.bytes[0] = self.bytes[0].max(wr);
        self.bytes[1] = self.bytes[1].max(rd);
        // Bytes that never arrived (ring loss, capture limit) at the tail are a gap.
        let stream = if self.tls { self.tls_bytes } else { self.bytes };
        let next = self.next_pos;
        self.with_session(writers, |s, meta, w| {
            for (i, d) in [Direction::Egress, Direction::Ingress].into_iter().enumerate() {
                if stream[i] > next[i] {
                    s.gap(d, stream[i] - next[i]);
                }
            }
            s.close(meta, now_wall_ns, w);
        });
    }

    /// Bytes held by the session.
    pub fn buffered(&self) -> usize {
        match &self.proto {
            ProtoState::Known { session, .. } => session.buffered_bytes(),
            _ => 0,
        }
    }
}

/// One writer per registered protocol.
pub(crate) struct Writers {
    pub entries: Vec<(Arc<dyn Protocol>, Box<dyn TableWriter>)>,
}

impl Writers {
    pub fn new() -> Self {
        Self {
            entries: seer_protocols::registry()
                .into_iter()
                .map(|p| {
                    let w = p.new_writer();
                    (p, w)
                })
                .collect(),
        }
    }

    pub fn get(&mut self, proto: &Arc<dyn Protocol>) -> Option<&mut dyn TableWriter> {
        let id = proto.id();
        self.entries
            .iter_mut()
            .find(|(p, _)| p.id() == id)
            .map(|(_, w)| w.as_mut() as &mut dyn TableWriter)
    }
}
