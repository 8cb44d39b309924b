//! The command line: `usher serve` (the default) runs a node. Every setting is a flag and an
//! environment variable; `usher serve --help` lists them all with their defaults.

use clap::{CommandFactory, Parser, Subcommand};

use std::net::SocketAddr;

use crate::config::{BackendSettings, LogSettings, Settings, TracingSettings};

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
    #[command(after_help = crate::config::DURATION_FORMS)]
    Serve(Box<Settings>),
    /// Run the reference backends alone: the seed's reservation, inventory and payment gRPC
    /// services (what `usher serve` embeds on loopback).
    Backends(Box<BackendsArgs>),
    /// Print the configuration reference as a Markdown table (the README's table).
    #[command(hide = true)]
    ConfigTable,
    /// Check one entrant's place in a random start's draw from the published values alone:
    /// the seed against its commitment, the entry against the entry root, and the rank.
    /// Exits 1 if a check fails.
    VerifyDraw(VerifyDrawArgs),
}

/// Arguments of `usher verify-draw`.
#[derive(Debug, clap::Args)]
pub struct VerifyDrawArgs {
    /// The draw's public record: the body of `GET /api/v1/events/{id}/draw`, saved to a file.
    #[arg(long)]
    pub draw: std::path::PathBuf,
    /// The entrant's proof: the body of `GET /api/v1/events/{id}/draw/proof?token=…`.
    #[arg(long)]
    pub proof: std::path::PathBuf,
    /// The entrant's waiting token, to check that the proof is about it.
    #[arg(long)]
    pub token: Option<String>,
}

/// `usher verify-draw`: prints each check; `Ok(false)` when one fails.
fn verify_draw(args: &VerifyDrawArgs) -> anyhow::Result<bool> {
    let read = |path: &std::path::Path| -> anyhow::Result<String> {
        std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
    };
    let published: crate::draw::Published = serde_json::from_str(&read(&args.draw)?)?;
    let proof: crate::draw::Proof = serde_json::from_str(&read(&args.proof)?)?;
    let token = match &args.token {
        Some(t) => Some(
            crate::domain::WaitingToken::parse(t).map_err(|e| anyhow::anyhow!("--token: {e}"))?,
        ),
        None => None,
    };
    let verdict = crate::draw::verify(&published, &proof, token.as_ref());
    for (name, result) in &verdict.checks {
        match result {
            Ok(what) => println!("ok    {name:<10} {what}"),
            Err(what) => println!("FAIL  {name:<10} {what}"),
        }
    }
    if let Some(rank) = verdict.rank {
        println!("rank  {rank} of {}", published.entrants.unwrap_or(0));
    }
    Ok(verdict.passed())
}

/// Settings of `usher backends`.
#[derive(Debug, clap::Args)]
pub struct BackendsArgs {
    /// Address the gRPC services listen on.
    #[arg(
        long = "listen",
        env = "USHER_BACKENDS_LISTEN",
        value_name = "USHER_BACKENDS_LISTEN",
        default_value = "127.0.0.1:50051"
    )]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub backends: BackendSettings,
    #[command(flatten)]
    pub log: LogSettings,
    #[command(flatten)]
    pub tracing: TracingSettings,
}

impl Cli {
    /// The settings of `usher serve`, also when no command was given.
    pub fn into_settings(self) -> Result<Settings, clap::Error> {
        match self.command {
            Some(Command::Serve(settings)) => Ok(*settings),
            _ => match Cli::try_parse_from(["usher", "serve"])?.command {
                Some(Command::Serve(settings)) => Ok(*settings),
                _ => unreachable!("'serve' was given"),
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

/// The configuration reference, generated from the same definitions as `usher serve --help`:
/// one Markdown table per area.
pub fn config_table() -> String {
    let serve = Cli::serve_command();
    let mut out = String::new();
    let mut heading = None;
    for arg in serve.get_arguments() {
        let Some(env) = arg.get_env() else { continue };
        if arg.get_help_heading() != heading {
            heading = arg.get_help_heading();
            out.push_str(&format!(
                "\n**{}**\n\n| Variable | Flag | Default | Meaning |\n|---|---|---|---|\n",
                heading.unwrap_or("Other")
            ));
        }
        let default = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(",");
        let default = if default.is_empty() {
            "unset".into()
        } else {
            format!("`{default}`")
        };
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "| `{}` | `--{}` | {} | {} |\n",
            env.to_string_lossy(),
            arg.get_long().unwrap_or_default(),
            default,
            help.replace('|', "\\|")
        ));
    }
    out.trim_start().to_owned()
}

/// Entry point of the `usher` binary.
pub fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if matches!(cli.command, Some(Command::ConfigTable)) {
        print!("{}", config_table());
        return Ok(());
    }
    if let Some(Command::VerifyDraw(args)) = &cli.command {
        if !verify_draw(args)? {
            std::process::exit(1);
        }
        return Ok(());
    }
    if let Some(Command::Backends(args)) = cli.command {
        let BackendsArgs {
            listen,
            backends,
            log,
            tracing,
        } = *args;
        return serve(&log, &tracing, "usher-backends", || {
            usher_backends::run(backends, listen, crate::shutdown::signal())
        });
    }
    let settings = cli.into_settings().unwrap_or_else(|e| e.exit());
    if let Err(e) = settings.validate() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
    let (log, tracing) = (settings.log.clone(), settings.tracing.clone());
    serve(&log, &tracing, "usher", || crate::server::run(settings))
}

/// Runs `main` on a new multi-threaded runtime with logging (and tracing) installed, then
/// exports the spans still queued.
fn serve<F>(
    log: &LogSettings,
    tracing: &TracingSettings,
    service: &'static str,
    main: impl FnOnce() -> F,
) -> anyhow::Result<()>
where
    F: std::future::Future<Output = anyhow::Result<()>>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // The trace exporter's connection lives on the runtime.
    let pipeline = {
        let _inside = runtime.enter();
        crate::telemetry::init(log, tracing, service)?
    };
    let result = runtime.block_on(main());
    // Off the runtime's workers, which keep the exporter's connection going meanwhile.
    if let Some(pipeline) = pipeline {
        pipeline.shutdown();
    }
    result
}
