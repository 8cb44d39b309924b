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
    pub sections: Vec<SectionSpec>,
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
