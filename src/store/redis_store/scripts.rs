//! The Lua scripts of `lua/`, one per atomic operation, loaded once. `redis::Script` runs them
//! by EVALSHA and falls back to loading the script on NOSCRIPT (after a restart or failover).

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
        }
    }
}

fn with_join_claim(body: &str) -> Script {
    Script::new(&format!("{JOIN_CLAIM}\n{body}"))
}
