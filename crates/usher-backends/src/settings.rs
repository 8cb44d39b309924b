//! The backends' settings: one flag and one environment variable each, with its default and a
//! doc line. `usher serve` embeds them in its own settings and `usher backends` takes them
//! alone, so `--help` and the README's configuration table list them from these definitions.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use clap::builder::TypedValueParser;
use usher_proto::Secret;

/// The development webhook key; production refuses to start with it.
pub const DEV_WEBHOOK_SECRET: &str = "usher-dev-webhook-secret";

/// The reference backends (reservations, inventory, payment simulator).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Backends")]
pub struct BackendSettings {
    /// Venue file of the embedded inventory (JSON: events, sections, rows, seats per row,
    /// prices); unset loads the example event evt_2025_1001 with 10,000 seats.
    #[arg(
        long = "inventory-file",
        env = "USHER_INVENTORY_FILE",
        value_name = "USHER_INVENTORY_FILE"
    )]
    pub inventory_file: Option<PathBuf>,
    /// Directory where the embedded store and the reference backends keep their state (redb
    /// files, fsync'd before each answer); unset keeps everything in memory and a restart
    /// loses it.
    #[arg(
        long = "data-dir",
        env = "USHER_DATA_DIR",
        value_name = "USHER_DATA_DIR"
    )]
    pub data_dir: Option<PathBuf>,
    /// How long a reservation holds its seats before they are released, in seconds.
    #[arg(long = "hold-secs", env = "USHER_HOLD_SECS", value_name = "USHER_HOLD_SECS", default_value = "60", value_parser = clap::value_parser!(u64).range(1..=3_600).map(Duration::from_secs))]
    pub hold: Duration,
    /// HMAC-SHA256 key of payment webhooks (the development default is refused in production).
    #[arg(
        long = "webhook-secret",
        env = "USHER_WEBHOOK_SECRET",
        value_name = "USHER_WEBHOOK_SECRET",
        default_value = DEV_WEBHOOK_SECRET
    )]
    pub webhook_secret: Secret,
    /// Delay before the payment simulator settles approve, fail and random payments, in ms.
    #[arg(long = "payment-delay-ms", env = "USHER_PAYMENT_DELAY_MS", value_name = "USHER_PAYMENT_DELAY_MS", default_value = "2000", value_parser = clap::value_parser!(u64).range(0..=600_000).map(Duration::from_millis))]
    pub payment_delay: Duration,
    /// Delay before the payment simulator settles the `delay` scenario, in ms.
    #[arg(long = "payment-long-delay-ms", env = "USHER_PAYMENT_LONG_DELAY_MS", value_name = "USHER_PAYMENT_LONG_DELAY_MS", default_value = "10000", value_parser = clap::value_parser!(u64).range(0..=3_600_000).map(Duration::from_millis))]
    pub payment_long_delay: Duration,
    /// Most seats one buyer may hold or own per event, across reservations (the embedded
    /// inventory refuses more with FAILED_PRECONDITION).
    #[arg(long = "max-seats-per-buyer", env = "USHER_MAX_SEATS_PER_BUYER", value_name = "USHER_MAX_SEATS_PER_BUYER", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_seats_per_buyer: u32,
    /// Key the gateway and the reference backends share (sent as gRPC metadata). The embedded
    /// backends always use a random per-process key; `usher backends` requires this one when
    /// it is set and accepts any caller when it is not.
    #[arg(
        long = "backends-key",
        env = "USHER_BACKENDS_KEY",
        value_name = "USHER_BACKENDS_KEY",
        hide_env_values = true
    )]
    pub key: Option<Secret>,
    /// Probability that the payment simulator approves a `random` payment (0 to 1).
    #[arg(long = "payment-random-success", env = "USHER_PAYMENT_RANDOM_SUCCESS", value_name = "USHER_PAYMENT_RANDOM_SUCCESS", default_value_t = 0.7, value_parser = parse_probability)]
    pub payment_random_success: f64,
}

fn parse_probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err("must be a number from 0 to 1".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        backends: BackendSettings,
    }

    fn parse(args: &[&str]) -> Result<BackendSettings, clap::Error> {
        let argv = std::iter::once("backends").chain(args.iter().copied());
        Cli::try_parse_from(argv).map(|c| c.backends)
    }

    #[test]
    fn durations_keep_their_units_and_ranges() {
        let s = parse(&[]).unwrap();
        assert_eq!(s.hold, Duration::from_secs(60));
        assert_eq!(s.payment_delay, Duration::from_millis(2_000));
        assert_eq!(s.payment_long_delay, Duration::from_millis(10_000));
        let s = parse(&[
            "--hold-secs",
            "3600",
            "--payment-delay-ms",
            "0",
            "--payment-long-delay-ms",
            "3600000",
        ])
        .unwrap();
        assert_eq!(s.hold, Duration::from_secs(3_600));
        assert_eq!(s.payment_delay, Duration::ZERO);
        assert_eq!(s.payment_long_delay, Duration::from_secs(3_600));
        for bad in [
            ["--hold-secs", "0"],
            ["--hold-secs", "3601"],
            ["--hold-secs", "60s"],
            ["--payment-delay-ms", "600001"],
            ["--payment-long-delay-ms", "3600001"],
            ["--payment-delay-ms", "-1"],
        ] {
            assert!(parse(&bad).is_err(), "{bad:?} was accepted");
        }
    }
}
