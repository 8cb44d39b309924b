//! Build steps: compiles the gRPC contracts in `proto/` with a pure-Rust protobuf compiler (no
//! system `protoc` needed), and records the git commit and build time for `/version`.

use std::process::Command;

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The seed's contracts usher serves and calls. Imports are rooted at the repository root
/// (`import "proto/common/v1/types.proto"`), as in the seed.
const PROTOS: &[&str] = &[
    "proto/common/v1/types.proto",
    "proto/common/v1/errors.proto",
    "proto/reservation/v1/reservation.proto",
    "proto/reservation/v1/inventory.proto",
    "proto/payment/v1/payment.proto",
];

fn compile_protos() -> Result<(), Box<dyn std::error::Error>> {
    let fds = protox::compile(PROTOS, ["."])?;
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    // The descriptor set also feeds gRPC server reflection.
    std::fs::write(
        out.join("descriptor.bin"),
        prost::Message::encode_to_vec(&fds),
    )?;
    tonic_prost_build::configure().compile_fds(fds)?;
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }
    Ok(())
}

fn main() {
    if let Err(e) = compile_protos() {
        panic!("cannot compile proto/: {e}");
    }
    let commit = std::env::var("USHER_GIT_COMMIT")
        .ok()
        .or_else(|| output("git", &["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".into());
    let built = output("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=USHER_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=USHER_BUILT_AT={built}");
    println!("cargo:rerun-if-env-changed=USHER_GIT_COMMIT");
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}
