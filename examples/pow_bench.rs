//! What a proof-of-work difficulty costs: native SHA-256 attempts per second on one core (what
//! a bot pays, searching as the web client does: the challenge's prefix hashed once, a counting
//! nonce appended) and usher's cost to check one solution (signature, expiry, hash).
//!
//! `cargo run --release --example pow_bench` (docs/BENCHMARKS.md records its output).

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use usher::domain::EventId;
use usher::queue::pow::{Pow, Solution, leading_zero_bits};

/// `n` in decimal, written into `buf` without allocating.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

fn main() {
    let pow = Pow::new(b"bench-secret", 120_000);
    let event = EventId::parse("evt_bench").unwrap();
    let now = usher::clock::system_ms();
    let challenge = pow.issue(&event, 32, now).challenge;

    // A bot: one core, as many attempts as it can in a few seconds.
    let prefix = Sha256::new()
        .chain_update(challenge.as_bytes())
        .chain_update(b":");
    let mut tried: u64 = 0;
    let mut best = 0;
    let started = Instant::now();
    let mut buf = [0u8; 20];
    while started.elapsed() < Duration::from_secs(3) {
        for _ in 0..10_000 {
            let digest = prefix
                .clone()
                .chain_update(decimal(tried, &mut buf))
                .finalize();
            best = best.max(leading_zero_bits(&digest));
            tried += 1;
        }
    }
    let rate = tried as f64 / started.elapsed().as_secs_f64();
    println!("native attempts/s (one core): {rate:.0} (best {best} zero bits in {tried})");

    // usher: checking a solved challenge, many times over.
    let easy = pow.issue(&event, 8, now).challenge;
    let nonce = (0u64..)
        .find(|n| {
            let d = Sha256::digest(format!("{easy}:{n}").as_bytes());
            leading_zero_bits(&d) >= 8
        })
        .unwrap()
        .to_string();
    let solution = Solution {
        challenge: easy,
        nonce,
    };
    let checks = 200_000;
    let started = Instant::now();
    for _ in 0..checks {
        assert!(pow.check(&event, Some(&solution), 8, now).is_ok());
    }
    let per = started.elapsed().as_secs_f64() / f64::from(checks) * 1e6;
    println!("usher check of one solution: {per:.2} µs");
    println!();
    println!("| difficulty (bits) | expected attempts | bot, one core |");
    println!("|---|---|---|");
    for bits in [12u32, 16, 18, 20, 22, 24] {
        let expected = 2f64.powi(bits as i32);
        println!("| {bits} | {expected:.0} | {:.3} s |", expected / rate);
    }
}
