//! Latency histograms (HdrHistogram, microseconds) that serialise to a compact base64 string,
//! so shards can write them to JSON and the parent merges them exactly: percentiles of the
//! merged histogram, never averages of percentiles.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer, V2Serializer};
use serde::{Deserialize, Serialize};

/// Largest value kept: one hour in microseconds (larger values are clamped to it).
const HIGHEST_US: u64 = 3_600_000_000;

/// A histogram of microsecond values.
#[derive(Clone, Debug)]
pub struct Hist(Histogram<u64>);

impl Hist {
    /// Three significant digits: for the run's main latency histograms.
    pub fn precise() -> Self {
        Self(Histogram::new_with_bounds(1, HIGHEST_US, 3).expect("valid bounds"))
    }

    /// Two significant digits: for the per-second bins of the time series (a run may have
    /// hundreds of them).
    pub fn coarse() -> Self {
        Self(Histogram::new_with_bounds(1, HIGHEST_US, 2).expect("valid bounds"))
    }

    pub fn record_us(&mut self, us: u64) {
        self.0.saturating_record(us.clamp(1, HIGHEST_US));
    }

    pub fn merge(&mut self, other: &Hist) {
        // Same bounds on both sides, so adding cannot fail; a precision mismatch (coarse into
        // precise) is absorbed by HdrHistogram's value mapping.
        let _ = self.0.add(&other.0);
    }

    pub fn len(&self) -> u64 {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A quantile (0 to 1) in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        self.0.value_at_quantile(q) as f64 / 1_000.0
    }

    pub fn summary(&self) -> Summary {
        let ms = |v: u64| round3(v as f64 / 1_000.0);
        Summary {
            count: self.0.len(),
            mean_ms: round3(self.0.mean() / 1_000.0),
            p50_ms: ms(self.0.value_at_quantile(0.50)),
            p90_ms: ms(self.0.value_at_quantile(0.90)),
            p99_ms: ms(self.0.value_at_quantile(0.99)),
            p999_ms: ms(self.0.value_at_quantile(0.999)),
            max_ms: ms(self.0.max()),
        }
    }
}

/// Percentiles of one histogram, in milliseconds.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub count: u64,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
}

pub fn round3(v: f64) -> f64 {
    (v * 1_000.0).round() / 1_000.0
}

impl Serialize for Hist {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = Vec::new();
        V2Serializer::new()
            .serialize(&self.0, &mut buf)
            .map_err(serde::ser::Error::custom)?;
        s.serialize_str(&STANDARD.encode(buf))
    }
}

impl<'de> Deserialize<'de> for Hist {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let bytes = STANDARD.decode(text).map_err(serde::de::Error::custom)?;
        let h: Histogram<u64> = Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .map_err(serde::de::Error::custom)?;
        Ok(Self(h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_survives_json_and_merges_exactly() {
        let (mut a, mut b) = (Hist::precise(), Hist::precise());
        for v in 1..=1_000 {
            a.record_us(v * 1_000);
        }
        for v in 1_001..=2_000 {
            b.record_us(v * 1_000);
        }
        let back: Hist = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
        a.merge(&back);
        assert_eq!(a.len(), 2_000);
        let p50 = a.quantile_ms(0.5);
        assert!((p50 - 1_000.0).abs() < 2.0, "{p50}");
    }
}
