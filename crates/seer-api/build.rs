//! Compiles `proto/seer.proto` with protox (pure Rust; no `protoc` needed) and generates tonic code.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto/seer.proto");
    let fds = protox::compile(["proto/seer.proto"], ["proto"])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(fds)?;
    Ok(())
}
