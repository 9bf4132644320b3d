//! Generated libbpf-rs skeletons (see `build.rs`).
#![allow(
    unsafe_code,
    missing_docs,
    unused,
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    non_camel_case_types
)]

pub(crate) mod socket_trace {
    include!(concat!(env!("OUT_DIR"), "/socket_trace.skel.rs"));
}
pub(crate) mod proc_exit {
    include!(concat!(env!("OUT_DIR"), "/proc_exit.skel.rs"));
}
