//! Each channel's task: applies the event's updates as they arrive, pushes positions slice
//! by slice, refreshes the heartbeats of the node's open sockets, tells sockets of store
//! outages, and resynchronises from a snapshot after a gap.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tracing::{debug, warn};

use super::{EventChannel, Hub};
use crate::domain::{EventId, WaitingToken};
use crate::protocol::Push;
use crate::store::{EventUpdate, NodeLease, StoreResult, Touch};

/// First wait before retrying a failed resynchronisation; it grows to ten times this.
const RESYNC_BACKOFF: Duration = Duration::from_millis(200);

/// How many slices a push interval is cut into: about 100 ms each, at most 10 (and 1 for
/// intervals under 200 ms).
fn push_slices(interval: Duration) -> u32 {
    (interval.as_millis() / 100).clamp(1, 10) as u32
}

/// Store work a channel runs beside its push loop, so that a slow or stalled store never
/// holds up pushes from the local view.
#[derive(Default)]
struct Background {
    /// The heartbeat renewal in flight: at most one per channel, so a stall does not pile up
    /// renewals.
    touch: Option<JoinHandle<()>>,
    /// The resynchronisation in flight, which brings a fresh update receiver (`None`: the
    /// store no longer has the event).
    resync: Option<JoinHandle<StoreResult<Option<broadcast::Receiver<EventUpdate>>>>>,
    /// When to try again after a failed resynchronisation.
    retry_at: Option<Instant>,
    failed_resyncs: u32,
}

impl Background {
    /// Stops what is in flight (the channel is evicted).
    async fn stop(&mut self) {
        if let Some(touch) = self.touch.take() {
            touch.abort();
        }
        if let Some(resync) = self.resync.take() {
            resync.abort();
            let _ = resync.await;
        }
    }

    /// A resynchronisation failed (an outage): try again after a backoff that grows with the
    /// failures, warning once rather than on every attempt.
    fn resync_failed(&mut self, event: &EventId, error: String) {
        if self.failed_resyncs == 0 {
            warn!(%event, %error, "resync failed; retrying");
        }
        self.failed_resyncs += 1;
        self.retry_at = Some(Instant::now() + RESYNC_BACKOFF * self.failed_resyncs.min(10));
    }
}

/// The next update, or never while there is no receiver (a resync is getting a fresh one).
async fn next_update(
    rx: &mut Option<broadcast::Receiver<EventUpdate>>,
) -> Result<EventUpdate, broadcast::error::RecvError> {
    match rx {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// The outcome of a task in flight, or never without one.
async fn finished<T>(task: &mut Option<JoinHandle<T>>) -> Result<T, tokio::task::JoinError> {
    match task {
        Some(task) => task.await,
        None => std::future::pending().await,
    }
}

impl Hub {
    /// Refreshes the heartbeats of these open sockets of the event in one store call, and
    /// this node's lease on them (`all`: these are all of them).
    async fn touch_sockets(&self, event: &EventId, tokens: &[WaitingToken], all: bool) {
        if tokens.is_empty() {
            return;
        }
        let touch = Touch::Held {
            ms: (self.settings.grace + self.settings.touch_interval).as_millis() as u64,
            lease: NodeLease {
                node: self.node,
                ms: self.settings.lease.as_millis() as u64,
            },
            all,
        };
        if let Err(e) = self.queue.touch(event, tokens, touch).await {
            warn!(event = %event, error = %e, "could not refresh socket heartbeats");
        }
    }

    /// Starts a heartbeat renewal beside the push loop, unless one is still running (`fresh`:
    /// replace it, after an outage, when the one in flight may be stuck on a dead connection).
    fn renew_heartbeats(
        self: &Arc<Self>,
        ch: &Arc<EventChannel>,
        bg: &mut Background,
        fresh: bool,
    ) {
        if let Some(running) = &bg.touch
            && !running.is_finished()
        {
            if !fresh {
                return;
            }
            running.abort();
        }
        let (hub, ch) = (self.clone(), ch.clone());
        bg.touch = Some(tokio::spawn(async move {
            hub.touch_sockets(&ch.event, &ch.waiting_tokens(), true)
                .await
        }));
    }

    /// Tells the store soon that this node holds the sockets attached since the last renewal
    /// (at most once per push slice, beside the push loop).
    fn hold_fresh_sockets(self: &Arc<Self>, ch: &Arc<EventChannel>) {
        let fresh = ch.take_unheld();
        if fresh.is_empty() {
            return;
        }
        let (hub, event) = (self.clone(), ch.event.clone());
        tokio::spawn(async move { hub.touch_sockets(&event, &fresh, false).await });
    }

    /// Starts a resynchronisation beside the push loop.
    fn start_resync(self: &Arc<Self>, ch: &Arc<EventChannel>, bg: &mut Background) {
        let (hub, ch) = (self.clone(), ch.clone());
        bg.retry_at = None;
        bg.resync = Some(tokio::spawn(async move { hub.resync(&ch).await }));
    }

    pub(super) async fn run_channel(
        self: Arc<Self>,
        ch: Arc<EventChannel>,
        rx: broadcast::Receiver<EventUpdate>,
    ) {
        let slices = push_slices(self.settings.push_interval);
        let mut slice = 0;
        let mut push = tokio::time::interval(self.settings.push_interval / slices);
        let mut touch = tokio::time::interval(self.settings.touch_interval);
        push.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        touch.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        touch.tick().await;
        let mut health = self.health.clone();
        // A channel opened during an outage tells its first sockets through their snapshot's
        // failure; from here on, every change of the store's health is pushed.
        health.mark_unchanged();
        let mut rx = Some(rx);
        let mut bg = Background::default();
        loop {
            let retry = async {
                match bg.retry_at {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                update = next_update(&mut rx) => {
                    let gap = match update {
                        Ok(update) => ch.apply(&update, &self.metrics).is_err(),
                        Err(broadcast::error::RecvError::Lagged(n)) => {
                            debug!(event = %ch.event, missed = n, "update channel lagged");
                            true
                        }
                        Err(broadcast::error::RecvError::Closed) => true,
                    };
                    if gap {
                        // Pushes go on from the local view while the resync runs.
                        rx = None;
                        self.start_resync(&ch, &mut bg);
                    }
                }
                done = finished(&mut bg.resync) => {
                    bg.resync = None;
                    match done {
                        Ok(Ok(Some(fresh))) => {
                            rx = Some(fresh);
                            bg.failed_resyncs = 0;
                        }
                        Ok(Ok(None)) => {
                            // The store lost the event (its data is gone): every local place
                            // with it. The channel ends; a new join opens a new one.
                            warn!(event = %ch.event, "the store no longer has this event; closing its sockets");
                            ch.lose_all();
                            self.forget(&ch);
                            bg.stop().await;
                            self.bus.unsubscribe(&ch.event).await;
                            return;
                        }
                        Ok(Err(e)) => bg.resync_failed(&ch.event, e.to_string()),
                        Err(e) => bg.resync_failed(&ch.event, e.to_string()),
                    }
                }
                _ = retry => self.start_resync(&ch, &mut bg),
                _ = push.tick() => {
                    self.hold_fresh_sockets(&ch);
                    ch.push_positions(&self.settings, &self.metrics, slice, slices);
                    slice = (slice + 1) % slices;
                    if self.evict_if_idle(&ch) {
                        bg.stop().await;
                        // Unsubscribed with no receiver left, the store can drop the channel.
                        drop(rx);
                        self.bus.unsubscribe(&ch.event).await;
                        return;
                    }
                }
                _ = touch.tick() => self.renew_heartbeats(&ch, &mut bg, false),
                Ok(()) = health.changed() => {
                    // Sockets stay open through a store outage: places are kept, positions
                    // just stop moving. On recovery the heartbeats the outage swallowed are
                    // renewed at once, and the view resynchronises (the store closes the
                    // update channel, which the update branch treats as a gap).
                    let healthy = *health.borrow_and_update();
                    if healthy {
                        self.renew_heartbeats(&ch, &mut bg, true);
                        ch.broadcast(&Push::Recovered {});
                    } else {
                        ch.broadcast(&Push::Degraded {});
                    }
                }
            }
        }
    }

    /// Rebuilds a channel's view after missed updates and settles local sockets whose waiter
    /// changed state meanwhile: a subscription, a snapshot, and the records of the node's
    /// sockets in batches ([`crate::store::RECORDS_BATCH`] per round trip), not a read per
    /// socket. A socket whose record is gone lost its place with the store's data; `None`: the
    /// whole event is gone.
    async fn resync(
        &self,
        ch: &Arc<EventChannel>,
    ) -> StoreResult<Option<broadcast::Receiver<EventUpdate>>> {
        let rx = self.bus.subscribe(&ch.event).await?;
        let Some(snapshot) = self.queue.snapshot(&ch.event).await? else {
            return Ok(None);
        };
        ch.rebuild(snapshot);
        let tokens = ch.local_tokens();
        let records = self.queue.records(&ch.event, &tokens).await?;
        for (token, record) in tokens.into_iter().zip(records) {
            match record {
                Some(record) => ch.settle(token, &record),
                None => ch.lose(token),
            }
        }
        Ok(Some(rx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_intervals_are_cut_into_slices_of_about_100_ms() {
        let slices = |ms| push_slices(Duration::from_millis(ms));
        assert_eq!(
            [
                slices(50),
                slices(199),
                slices(250),
                slices(1_000),
                slices(5_000)
            ],
            [1, 1, 2, 10, 10]
        );
    }
}
