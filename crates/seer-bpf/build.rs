//! Compiles the BPF C sources in `bpf/` with clang (Debian's, installed by `tools/setup.sh`) and
//! generates libbpf-rs skeletons into `OUT_DIR`.

use std::env;
use std::path::PathBuf;

use libbpf_cargo::SkeletonBuilder;

const PROGRAMS: &[&str] = &["socket_trace", "proc_exit"];

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let clang = env::var("SEER_BPF_CLANG").unwrap_or_else(|_| "clang".to_string());
    for name in PROGRAMS {
        let src = format!("bpf/{name}.bpf.c");
        SkeletonBuilder::new()
            .source(&src)
            .clang(&clang)
            .clang_args(["-Ibpf", "-O2", "-g"])
            .build_and_generate(out.join(format!("{name}.skel.rs")))
            .unwrap_or_else(|e| panic!("building {src} with {clang}: {e:#}"));
        println!("cargo:rerun-if-changed={src}");
    }
    println!("cargo:rerun-if-changed=bpf/socket_trace.h");
    println!("cargo:rerun-if-changed=bpf/proc_exit.h");
    println!("cargo:rerun-if-changed=bpf/vmlinux.h");
    println!("cargo:rerun-if-env-changed=SEER_BPF_CLANG");
}
