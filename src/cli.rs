//! The command line: `usher serve` (the default) runs a node. Every setting is a flag and an
//! environment variable; `usher serve --help` lists them all with their defaults.

use clap::{CommandFactory, Parser, Subcommand};

use crate::config::Settings;

#[derive(Debug, Parser)]
#[command(
    name = "usher",
    version = crate::LONG_VERSION,
    about = "A WebSocket-first virtual waiting room and gateway for high-demand ticket sales",
    long_about = "A WebSocket-first virtual waiting room and gateway for high-demand ticket sales.\n\n\
                  With no command, runs `usher serve` configured from the environment."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the waiting room and gateway (the default command).
    Serve(Box<Settings>),
}

impl Cli {
    /// The settings of `usher serve`, also when no command was given.
    pub fn into_settings(self) -> Result<Settings, clap::Error> {
        match self.command {
            Some(Command::Serve(settings)) => Ok(*settings),
            None => match Cli::try_parse_from(["usher", "serve"])?.command {
                Some(Command::Serve(settings)) => Ok(*settings),
                None => unreachable!("'serve' was given"),
            },
        }
    }

    /// The clap definition of `usher serve`, for generated documentation.
    pub fn serve_command() -> clap::Command {
        Cli::command()
            .find_subcommand("serve")
            .expect("serve exists")
            .clone()
    }
}

/// Entry point of the `usher` binary.
pub fn main() -> anyhow::Result<()> {
    let settings = Cli::parse().into_settings().unwrap_or_else(|e| e.exit());
    if let Err(e) = settings.validate() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
    crate::telemetry::init(&settings.log)?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(crate::server::run(settings))
}
