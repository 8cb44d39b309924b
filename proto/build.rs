//! Compiles the gRPC contracts beside this file with a pure-Rust protobuf compiler (no system
//! `protoc` needed).

/// The seed's contracts. Imports are rooted at the repository root
/// (`import "proto/common/v1/types.proto"`), as in the seed, so the include path is `..`.
const PROTOS: &[&str] = &[
    "proto/common/v1/types.proto",
    "proto/common/v1/errors.proto",
    "proto/reservation/v1/reservation.proto",
    "proto/reservation/v1/inventory.proto",
    "proto/payment/v1/payment.proto",
];

fn compile_protos() -> Result<(), Box<dyn std::error::Error>> {
    let fds = protox::compile(PROTOS, [".."])?;
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    // The descriptor set also feeds gRPC server reflection.
    std::fs::write(
        out.join("descriptor.bin"),
        prost::Message::encode_to_vec(&fds),
    )?;
    tonic_prost_build::configure().compile_fds(fds)?;
    for proto in PROTOS {
        println!("cargo:rerun-if-changed=../{proto}");
    }
    Ok(())
}

fn main() {
    if let Err(e) = compile_protos() {
        panic!("cannot compile proto/: {e}");
    }
}
