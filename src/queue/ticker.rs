//! The admission ticker and the reaper: the only things that move the queue without a request
//! (and, with `USHER_AUTO_CREATE_EVENTS`, the sweep that deletes idle automatically created
//! events).
//!
//! Every node runs both. That is safe because each step is one atomic store operation that
//! takes its time from the store's clock: two nodes ticking the same event share one token
//! bucket, so together they admit exactly what the bucket allows, and a waiter is reaped once.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::{Notify, watch};
use tracing::{info, warn};

use crate::config::QueueSettings;
use crate::domain::EventId;
use crate::metrics::Metrics;
use crate::store::{AdmitLimits, AdmitOutcome, QueueStore, ReapLimits, StoreError};

/// How often the list of events is re-read from the store.
const EVENT_LIST_REFRESH: Duration = Duration::from_secs(1);
/// Most waiters one reap call expires, and most active slots (lapsed entry windows, ended
/// sessions) one admission step frees; the rest go in the next round.
const REAP_BATCH: usize = 10_000;

/// Runs the admission ticker and the reaper until `shutdown` turns true. `new_event` makes the
/// ticker re-read the event list before its next step.
pub async fn run(
    store: Arc<dyn QueueStore>,
    settings: QueueSettings,
    metrics: Metrics,
    new_event: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(settings.tick);
    let mut reap = tokio::time::interval(settings.reap_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    reap.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let limits = AdmitLimits {
        max_batch: settings.max_batch,
        max_freed: REAP_BATCH,
    };
    let reap_limits = ReapLimits {
        max: REAP_BATCH,
        // Reaps of a live event come every interval from every node: three missed in a row
        // mean nobody reached the store.
        gap_ms: (settings.reap_interval * 3)
            .max(Duration::from_secs(3))
            .as_millis() as u64,
        // A grace period: every node renews its sockets (a quarter of it) and polling clients
        // poll again.
        hold_ms: settings.grace.as_millis() as u64,
    };
    // With USHER_AUTO_CREATE_EVENTS, events joins opened for unknown ids are deleted once idle.
    let idle = settings.auto_create_idle;
    let mut sweep =
        tokio::time::interval((idle / 2).clamp(Duration::from_secs(1), Duration::from_secs(60)));
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut events: Vec<EventId> = Vec::new();
    let mut listed_at: Option<Instant> = None;
    // Errors are logged when they start and when they end, not on every tick of an outage.
    let mut failing = false;
    let mut report = |result: Result<(), StoreError>| match (result, failing) {
        (Err(e), false) => {
            warn!(error = %e, "admission ticker cannot reach the store");
            failing = true;
        }
        (Ok(()), true) => {
            info!("admission ticker reaches the store again");
            failing = false;
        }
        _ => {}
    };
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if listed_at.is_none_or(|t| t.elapsed() >= EVENT_LIST_REFRESH) {
                    match store.live_events().await {
                        Ok(list) => {
                            events = list;
                            listed_at = Some(Instant::now());
                        }
                        Err(e) => {
                            report(Err(e));
                            continue;
                        }
                    }
                }
                for event in &events {
                    let started = usher_otel::enabled().then(SystemTime::now);
                    let outcome = store.admit(event, limits).await;
                    if let Ok(outcome) = &outcome {
                        if outcome.draw_due {
                            // The store gave this node the draw to make (for a while): it
                            // reads the whole entry list, so it runs beside the ticks.
                            let (store, event) = (store.clone(), event.clone());
                            tokio::spawn(async move {
                                if let Err(e) = super::onsale::make_draw(&*store, &event).await {
                                    warn!(%event, error = %e, "cannot make the draw yet");
                                }
                            });
                        }
                        if let Some(started) = started {
                            trace_step(event, started, outcome);
                        }
                        metrics.queue_admitted.inc_by(u64::from(outcome.admitted));
                        if metrics.has_event_series(event.as_str()) {
                            metrics
                                .queue_waiting
                                .with_label_values(&[event.as_str()])
                                .set(outcome.waiting as i64);
                        }
                    }
                    report(outcome.map(drop));
                }
            }
            _ = reap.tick() => {
                for event in &events {
                    report(store.reap(event, reap_limits).await.map(drop));
                }
            }
            _ = sweep.tick(), if settings.auto_create_events => {
                match store.events().await {
                    Ok(all) => {
                        for event in all {
                            let deleted =
                                store.delete_idle_auto_event(&event, idle.as_millis() as u64).await;
                            if let Ok(true) = deleted {
                                info!(%event, "deleted an idle automatically created event");
                            }
                            report(deleted.map(drop));
                        }
                    }
                    Err(e) => report(Err(e)),
                }
            }
            _ = new_event.notified() => listed_at = None,
            _ = shutdown.changed() => return,
        }
    }
}

/// With traces exported, an `admission tick` span for an admission step that admitted someone
/// or ended an entry window, recorded once it is over: a trace per idle tick (ten a second per
/// event by default) would bury the ones that matter.
fn trace_step(event: &EventId, started: SystemTime, outcome: &AdmitOutcome) {
    if outcome.admitted == 0 && outcome.lapsed == 0 {
        return;
    }
    use usher_otel::KeyValue;
    usher_otel::record_finished(
        "admission tick",
        started,
        vec![
            KeyValue::new("usher.event_id", event.to_string()),
            KeyValue::new("usher.admitted", i64::from(outcome.admitted)),
            KeyValue::new("usher.lapsed", i64::from(outcome.lapsed)),
            KeyValue::new("usher.waiting", outcome.waiting as i64),
            KeyValue::new("usher.active", outcome.active as i64),
        ],
    );
}
