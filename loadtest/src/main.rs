//! `usher-load`: see `usher-load --help` and the crate documentation.

use clap::Parser;
use usher_load::cli::Cli;

/// The same allocator as the server, so that the generator's own cost stays small.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let argv: Vec<String> = std::env::args().collect();
    let cli = Cli::parse_from(&argv);
    match usher_load::run(cli, &argv).await {
        Ok(finished) => {
            let problems = finished.report.is_some_and(|r| !r.problems.is_empty());
            std::process::exit(if problems { 2 } else { 0 });
        }
        Err(e) => {
            eprintln!("usher-load: {e:#}");
            std::process::exit(1);
        }
    }
}
