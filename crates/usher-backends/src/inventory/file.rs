//! The venue file (`USHER_INVENTORY_FILE`): the events, their sections, rows, seats per row and
//! prices, as JSON. Read and checked once at start; the seat model trusts it after that.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

/// The venue file (`USHER_INVENTORY_FILE`).
#[derive(Debug, Clone, Deserialize)]
pub struct InventoryFile {
    pub events: Vec<EventSpec>,
}

/// One on-sale event and its venue.
#[derive(Debug, Clone, Deserialize)]
pub struct EventSpec {
    pub event_id: String,
    pub name: String,
    /// What buyers see about the event besides its name (all optional).
    #[serde(flatten)]
    pub details: EventDetails,
    pub sections: Vec<SectionSpec>,
}

/// The optional parts of an event's description, shown to buyers before they join.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct EventDetails {
    pub description: Option<String>,
    /// When the event takes place, RFC 3339 (for example `2025-10-01T19:00:00+09:00`).
    pub starts_at: Option<String>,
    pub venue: Option<VenueSpec>,
}

/// Where the event takes place.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct VenueSpec {
    pub name: String,
    pub city: Option<String>,
    pub address: Option<String>,
    pub country: Option<String>,
}

impl EventDetails {
    /// `starts_at` as a protobuf timestamp; `validate` has checked it parses.
    pub fn starts_at(&self) -> Option<prost_types::Timestamp> {
        self.starts_at.as_deref().and_then(|s| s.parse().ok())
    }
}

/// One section: `rows` rows of `seats_per_row` seats at one price; seat ids are
/// `<section>-<row>-<n>`.
#[derive(Debug, Clone, Deserialize)]
pub struct SectionSpec {
    pub id: String,
    pub rows: u32,
    pub seats_per_row: u32,
    pub price: PriceSpec,
}

/// A seat's price.
#[derive(Debug, Clone, Deserialize)]
pub struct PriceSpec {
    /// Minor units (won for KRW).
    pub amount: i64,
    pub currency: String,
}

impl InventoryFile {
    /// The venue file at `path`, or the example event without one; checked, with errors naming
    /// `USHER_INVENTORY_FILE`.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let file = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read {} (USHER_INVENTORY_FILE)", path.display())
                })?;
                serde_json::from_str::<InventoryFile>(&text).with_context(|| {
                    format!(
                        "{} is not a valid inventory file (USHER_INVENTORY_FILE)",
                        path.display()
                    )
                })?
            }
            None => InventoryFile::example(),
        };
        file.validate()
            .map_err(|e| anyhow::anyhow!("USHER_INVENTORY_FILE: {e}"))?;
        Ok(file)
    }

    /// The seed's example event: `evt_2025_1001`, 10,000 seats in sections VIP, R, S and A–F.
    pub fn example() -> Self {
        let sections = [
            ("VIP", 10, 40, 150_000),
            ("R", 20, 50, 120_000),
            ("S", 20, 55, 100_000),
            ("A", 25, 50, 90_000),
            ("B", 25, 50, 80_000),
            ("C", 25, 50, 70_000),
            ("D", 25, 50, 60_000),
            ("E", 25, 50, 55_000),
            ("F", 25, 50, 50_000),
        ];
        Self {
            events: vec![EventSpec {
                event_id: "evt_2025_1001".into(),
                name: "Stadium tour 2025, night 1".into(),
                details: EventDetails {
                    description: Some(
                        "The first night of the stadium tour: doors open at 17:30.".into(),
                    ),
                    starts_at: Some("2025-10-01T19:00:00+09:00".into()),
                    venue: Some(VenueSpec {
                        name: "Olympic Stadium".into(),
                        city: Some("Seoul".into()),
                        address: Some("25 Olympic-ro, Songpa-gu".into()),
                        country: Some("KR".into()),
                    }),
                },
                sections: sections
                    .iter()
                    .map(|&(id, rows, seats_per_row, amount)| SectionSpec {
                        id: id.into(),
                        rows,
                        seats_per_row,
                        price: PriceSpec {
                            amount,
                            currency: "KRW".into(),
                        },
                    })
                    .collect(),
            }],
        }
    }

    /// Checks what a file could get wrong: empty or duplicate ids, empty sections, bad prices.
    pub fn validate(&self) -> Result<(), String> {
        let mut events = std::collections::HashSet::new();
        for e in &self.events {
            if e.event_id.is_empty() || !events.insert(&e.event_id) {
                return Err(format!("event id {:?} is empty or repeated", e.event_id));
            }
            if let Some(at) = &e.details.starts_at
                && at.parse::<prost_types::Timestamp>().is_err()
            {
                return Err(format!(
                    "event {}: starts_at {at:?} is not an RFC 3339 time",
                    e.event_id
                ));
            }
            if e.details.venue.as_ref().is_some_and(|v| v.name.is_empty()) {
                return Err(format!("event {}: a venue needs a name", e.event_id));
            }
            let mut sections = std::collections::HashSet::new();
            for s in &e.sections {
                if s.id.is_empty() || s.id.contains('-') || !sections.insert(&s.id) {
                    return Err(format!(
                        "event {}: section id {:?} is empty, repeated or contains '-'",
                        e.event_id, s.id
                    ));
                }
                if s.rows == 0 || s.seats_per_row == 0 || s.price.amount <= 0 {
                    return Err(format!(
                        "event {}: section {} needs rows, seats_per_row and a positive price",
                        e.event_id, s.id
                    ));
                }
            }
        }
        Ok(())
    }
}
