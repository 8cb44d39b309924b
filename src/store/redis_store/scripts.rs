//! The Lua scripts of `lua/`, one per atomic operation, loaded once. `redis::Script` runs them
//! by EVALSHA and falls back to loading the script on NOSCRIPT (after a restart or failover).

use std::collections::HashMap;
use std::sync::OnceLock;

use redis::Script;

const PRELUDE: &str = include_str!("../../../lua/prelude.lua");
/// The functions of a join's idempotency record, shared by the scripts that touch it.
const JOIN_CLAIM: &str = include_str!("../../../lua/join_claim.lua");

/// Every script, compiled into the binary.
pub struct Scripts {
    pub join: Script,
    pub status: Script,
    pub records: Script,
    pub touch: Script,
    pub leave: Script,
    pub admit: Script,
    pub reap: Script,
    pub enter: Script,
    pub snapshot: Script,
    pub config: Script,
    pub notify: Script,
    pub idempotency_begin: Script,
    pub idempotency_finish: Script,
    pub idempotency_release: Script,
    pub claim: Script,
    pub claim_record: Script,
    pub live_remove: Script,
    pub create: Script,
    pub delete_idle: Script,
    pub draw: Script,
    pub beacon: Script,
    pub minute: Script,
}

impl Scripts {
    pub fn load() -> Self {
        let event = |body: &str| Script::new(&format!("{PRELUDE}\n{body}"));
        Self {
            join: Script::new(&format!(
                "{PRELUDE}\n{JOIN_CLAIM}\n{}",
                include_str!("../../../lua/join.lua")
            )),
            status: event(include_str!("../../../lua/status.lua")),
            records: event(include_str!("../../../lua/records.lua")),
            touch: event(include_str!("../../../lua/touch.lua")),
            leave: event(include_str!("../../../lua/leave.lua")),
            admit: event(include_str!("../../../lua/admit.lua")),
            reap: event(include_str!("../../../lua/reap.lua")),
            enter: event(include_str!("../../../lua/enter.lua")),
            snapshot: event(include_str!("../../../lua/snapshot.lua")),
            config: event(include_str!("../../../lua/config.lua")),
            notify: event(include_str!("../../../lua/notify.lua")),
            idempotency_begin: Script::new(include_str!("../../../lua/idempotency_begin.lua")),
            idempotency_finish: Script::new(include_str!("../../../lua/idempotency_finish.lua")),
            idempotency_release: Script::new(include_str!("../../../lua/idempotency_release.lua")),
            claim: with_join_claim(include_str!("../../../lua/claim.lua")),
            claim_record: with_join_claim(include_str!("../../../lua/claim_record.lua")),
            live_remove: Script::new(include_str!("../../../lua/live_remove.lua")),
            create: event(include_str!("../../../lua/create.lua")),
            delete_idle: event(include_str!("../../../lua/delete_idle.lua")),
            draw: event(include_str!("../../../lua/draw.lua")),
            beacon: event(include_str!("../../../lua/beacon.lua")),
            minute: Script::new(include_str!("../../../lua/minute.lua")),
        }
    }
}

impl Scripts {
    /// Every script with its name (its file's stem in `lua/`).
    fn named(&self) -> [(&'static str, &Script); 22] {
        [
            ("join", &self.join),
            ("status", &self.status),
            ("records", &self.records),
            ("touch", &self.touch),
            ("leave", &self.leave),
            ("admit", &self.admit),
            ("reap", &self.reap),
            ("enter", &self.enter),
            ("snapshot", &self.snapshot),
            ("config", &self.config),
            ("notify", &self.notify),
            ("idempotency_begin", &self.idempotency_begin),
            ("idempotency_finish", &self.idempotency_finish),
            ("idempotency_release", &self.idempotency_release),
            ("claim", &self.claim),
            ("claim_record", &self.claim_record),
            ("live_remove", &self.live_remove),
            ("create", &self.create),
            ("delete_idle", &self.delete_idle),
            ("draw", &self.draw),
            ("beacon", &self.beacon),
            ("minute", &self.minute),
        ]
    }
}

/// The name of the script whose SHA1 (hex) is `sha`, if it is one of ours: what an `EVALSHA`
/// runs, for its trace span.
pub fn name_of(sha: &[u8]) -> Option<&'static str> {
    static NAMES: OnceLock<HashMap<Vec<u8>, &'static str>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            let scripts = Scripts::load();
            scripts
                .named()
                .into_iter()
                .map(|(name, script)| (script.get_hash().as_bytes().to_vec(), name))
                .collect()
        })
        .get(sha)
        .copied()
}

fn with_join_claim(body: &str) -> Script {
    Script::new(&format!("{JOIN_CLAIM}\n{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_is_named_by_its_hash() {
        let scripts = Scripts::load();
        for (name, script) in scripts.named() {
            assert_eq!(name_of(script.get_hash().as_bytes()), Some(name));
        }
        assert_eq!(name_of(b"0000"), None);
    }
}
