//! The backends' clock, and time in its protobuf form. The backends are a service of their own,
//! so they read time here rather than from the gateway that may embed them: every deadline
//! (hold expiry, payment settlement, webhook timestamps) comes from [`now_ms`].

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch by this process's clock.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A protobuf timestamp of `ms` since the Unix epoch.
pub(crate) fn timestamp(ms: u64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: (ms / 1_000) as i64,
        nanos: ((ms % 1_000) * 1_000_000) as i32,
    }
}

/// Milliseconds since the Unix epoch of a protobuf timestamp (0 for times before it).
pub(crate) fn millis(t: &prost_types::Timestamp) -> u64 {
    u64::try_from(t.seconds).unwrap_or(0) * 1_000 + u64::try_from(t.nanos).unwrap_or(0) / 1_000_000
}
