//! Domain newtypes. Values are parsed once at the edge (HTTP, WebSocket, configuration) and
//! trusted everywhere inside, so an invalid event id or token cannot reach the queue logic.
//! Deserialising one (a stored record, a published update) goes through the same `parse`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, de};
use uuid::Uuid;

// Whom a call to the backends acts for: a contract with the backends, so it lives in usher-proto.
pub use usher_proto::Caller;

/// Why a raw value was refused at the edge.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("{field} must be 1 to {max} characters of A-Z, a-z, 0-9, '_', '-', '.', ':'")]
    BadIdentifier { field: &'static str, max: usize },
    #[error("{0} must be a UUID")]
    NotUuid(&'static str),
}

fn parse_identifier(raw: &str, field: &'static str, max: usize) -> Result<String, ParseError> {
    if raw.is_empty() {
        return Err(ParseError::Missing(field));
    }
    let ok = raw.len() <= max
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(ParseError::BadIdentifier { field, max })
    }
}

/// Deserialises an integer of a request body, written `4` or `4.0`: JSON Schema's integers, as
/// the API document declares them, include numbers with a zero fraction. Fractions and values
/// out of `T`'s range are refused.
pub fn integral<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    let n = serde_json::Number::deserialize(deserializer)?;
    // Above 2^53 a float no longer says which integer it is.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    n.as_i64()
        .or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() <= EXACT)
                .map(|f| f as i64)
        })
        .and_then(|v| T::try_from(v).ok())
        .ok_or_else(|| de::Error::custom(format!("{n} is not an integer in range")))
}

/// [`integral`] for an optional field: `null` is `None`.
pub fn optional_integral<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    #[derive(Deserialize)]
    struct Integral<T: TryFrom<i64>>(#[serde(deserialize_with = "integral")] T);
    Ok(Option::<Integral<T>>::deserialize(deserializer)?.map(|Integral(v)| v))
}

/// Deserialises a newtype through its `parse`, so a value read back from the store or from a
/// published update is held to the same rules as one from the edge.
fn deserialize_parsed<'de, D, T>(
    deserializer: D,
    parse: fn(&str) -> Result<T, ParseError>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let raw = String::deserialize(deserializer)?;
    parse(&raw).map_err(de::Error::custom)
}

/// The id of an on-sale event (one queue per event), e.g. `evt_2025_1001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct EventId(String);

impl EventId {
    /// Longest accepted event id; keeps store keys and metric labels bounded.
    pub const MAX_LEN: usize = 64;

    /// ```
    /// use usher::domain::{EventId, ParseError};
    /// assert_eq!(EventId::parse("evt_2025_1001").unwrap().as_str(), "evt_2025_1001");
    /// assert_eq!(EventId::parse(""), Err(ParseError::Missing("event_id")));
    /// assert!(EventId::parse("no spaces").is_err());
    /// ```
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        parse_identifier(raw, "event_id", Self::MAX_LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for EventId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_parsed(deserializer, Self::parse)
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The optional, client-supplied user id of a join (the seed's queue routes are anonymous).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct UserId(String);

impl UserId {
    /// Longest accepted user id.
    pub const MAX_LEN: usize = 128;

    /// A user id that must be present (a stored or published one; at the edge, see
    /// [`Self::parse_optional`]).
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        parse_identifier(raw, "user_id", Self::MAX_LEN).map(Self)
    }

    /// An empty string means "anonymous" and yields `None`, as in the seed.
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, ParseError> {
        match raw {
            None | Some("") => Ok(None),
            Some(raw) => Self::parse(raw).map(Some),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The user id of an authenticated subject: the subject itself when it is a plain
    /// identifier, else a digest of it (identity providers' subjects may hold any character),
    /// so that every subject maps to one user id and no two subjects share one.
    pub fn of_subject(subject: &str) -> Self {
        match parse_identifier(subject, "sub", Self::MAX_LEN) {
            Ok(id) if !id.starts_with("sub:") => Self(id),
            _ => {
                use sha2::Digest;
                let digest = sha2::Sha256::digest(subject.as_bytes());
                Self(format!("sub:{}", hex::encode(&digest[..16])))
            }
        }
    }
}

impl<'de> Deserialize<'de> for UserId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_parsed(deserializer, Self::parse)
    }
}

/// A waiting token: the bearer credential of one place in one queue (a UUIDv4, as in the seed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct WaitingToken(Uuid);

impl WaitingToken {
    pub fn new() -> Self {
        Self(Uuid::new_v4())
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        if raw.is_empty() {
            return Err(ParseError::Missing("waiting token"));
        }
        Uuid::parse_str(raw)
            .map(Self)
            .map_err(|_| ParseError::NotUuid("waiting token"))
    }
}

impl<'de> Deserialize<'de> for WaitingToken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_parsed(deserializer, Self::parse)
    }
}

impl Default for WaitingToken {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for WaitingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// Join order within one event: issued atomically by the store, starting at 1, never reused.
/// FIFO admission is "lowest waiting sequence number first".
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct Seq(pub u64);

/// A 1-based place in the queue: 1 is the next waiter to be admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Position(pub u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_are_bounded_and_plain() {
        assert!(EventId::parse("evt_2025_1001").is_ok());
        assert_eq!(EventId::parse(""), Err(ParseError::Missing("event_id")));
        assert!(EventId::parse("a b").is_err());
        assert!(EventId::parse(&"x".repeat(65)).is_err());
        assert!(EventId::parse(&"x".repeat(64)).is_ok());
    }

    #[test]
    fn empty_user_id_is_anonymous() {
        assert_eq!(UserId::parse_optional(Some("")), Ok(None));
        assert_eq!(UserId::parse_optional(None), Ok(None));
        assert!(UserId::parse_optional(Some("u/1")).is_err());
    }

    #[test]
    fn waiting_tokens_must_be_uuids() {
        let t = WaitingToken::new();
        assert_eq!(WaitingToken::parse(&t.to_string()), Ok(t));
        assert!(WaitingToken::parse("nope").is_err());
    }

    /// `value` as a JSON string.
    fn json(value: &str) -> String {
        serde_json::to_string(value).unwrap()
    }

    #[test]
    fn deserialised_event_ids_are_parsed() {
        let id: EventId = serde_json::from_str(&json("evt_2025_1001")).unwrap();
        assert_eq!(id.as_str(), "evt_2025_1001");
        for bad in ["", "a b", &"x".repeat(65)] {
            assert!(
                serde_json::from_str::<EventId>(&json(bad)).is_err(),
                "{bad:?}"
            );
        }
        assert!(serde_json::from_str::<EventId>("42").is_err());
    }

    #[test]
    fn deserialised_user_ids_are_parsed() {
        let id: UserId = serde_json::from_str(&json("alice")).unwrap();
        assert_eq!(id.as_str(), "alice");
        let subject = UserId::of_subject("someone@example.com");
        let back: UserId = serde_json::from_str(&serde_json::to_string(&subject).unwrap()).unwrap();
        assert_eq!(back, subject);
        for bad in ["", "u/1", &"x".repeat(129)] {
            assert!(
                serde_json::from_str::<UserId>(&json(bad)).is_err(),
                "{bad:?}"
            );
        }
        // Absent stays anonymous; present must be a user id.
        assert_eq!(
            serde_json::from_str::<Option<UserId>>("null").unwrap(),
            None
        );
        assert!(serde_json::from_str::<Option<UserId>>(&json("")).is_err());
    }

    #[test]
    fn deserialised_waiting_tokens_are_parsed() {
        let t = WaitingToken::new();
        let back: WaitingToken = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
        for bad in ["", "nope", "123"] {
            assert!(
                serde_json::from_str::<WaitingToken>(&json(bad)).is_err(),
                "{bad:?}"
            );
        }
    }
}
