//! Each channel's task: applies the event's updates as they arrive, pushes positions slice
//! by slice, refreshes the heartbeats of the node's open sockets, tells sockets of store
//! outages, and resynchronises from a snapshot after a gap.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;
use tracing::{debug, warn};

use super::{EventChannel, Hub};
use crate::protocol::Push;
use crate::store::{EventUpdate, StoreError, StoreResult, Touch};

/// First wait before retrying a failed resynchronisation; it grows to ten times this.
const RESYNC_BACKOFF: Duration = Duration::from_millis(200);

/// How many slices a push interval is cut into: about 100 ms each, at most 10 (and 1 for
/// intervals under 200 ms).
fn push_slices(interval: Duration) -> u32 {
    (interval.as_millis() / 100).clamp(1, 10) as u32
}

impl Hub {
    /// Refreshes the heartbeats of the channel's open sockets in one store call.
    async fn touch_sockets(&self, ch: &EventChannel) {
        let tokens = ch.waiting_tokens();
        if tokens.is_empty() {
            return;
        }
        let ms = (self.settings.grace + self.settings.touch_interval).as_millis() as u64;
        if let Err(e) = self
            .queue
            .touch(&ch.event, &tokens, Touch::AtLeast(ms))
            .await
        {
            warn!(event = %ch.event, error = %e, "could not refresh socket heartbeats");
        }
    }

    pub(super) async fn run_channel(
        self: Arc<Self>,
        ch: Arc<EventChannel>,
        mut rx: broadcast::Receiver<EventUpdate>,
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
        let mut failed_resyncs = 0;
        loop {
            tokio::select! {
                update = rx.recv() => {
                    let resync = match update {
                        Ok(update) => ch.apply(&update, &self.metrics).is_err(),
                        Err(broadcast::error::RecvError::Lagged(n)) => {
                            debug!(event = %ch.event, missed = n, "update channel lagged");
                            true
                        }
                        Err(broadcast::error::RecvError::Closed) => true,
                    };
                    if resync {
                        match self.resync(&ch).await {
                            Ok(fresh) => {
                                rx = fresh;
                                failed_resyncs = 0;
                            }
                            Err(e) => {
                                // An outage: retry with backoff, warning once rather than on
                                // every attempt.
                                if failed_resyncs == 0 {
                                    warn!(event = %ch.event, error = %e, "resync failed; retrying");
                                }
                                failed_resyncs += 1;
                                let backoff = RESYNC_BACKOFF * failed_resyncs.min(10);
                                tokio::time::sleep(backoff).await;
                            }
                        }
                    }
                }
                _ = push.tick() => {
                    ch.push_positions(&self.settings, &self.metrics, slice, slices);
                    slice = (slice + 1) % slices;
                    if self.evict_if_idle(&ch) {
                        // Unsubscribed with no receiver left, the store can drop the channel.
                        drop(rx);
                        self.bus.unsubscribe(&ch.event).await;
                        return;
                    }
                }
                _ = touch.tick() => self.touch_sockets(&ch).await,
                Ok(()) = health.changed() => {
                    // Sockets stay open through a store outage: places are kept, positions
                    // just stop moving. On recovery the heartbeats the outage swallowed are
                    // renewed at once, and the view resynchronises (the store closes the
                    // update channel, which the update branch treats as a gap).
                    let healthy = *health.borrow_and_update();
                    if healthy {
                        self.touch_sockets(&ch).await;
                        ch.broadcast(&Push::Recovered {});
                    } else {
                        ch.broadcast(&Push::Degraded {});
                    }
                }
            }
        }
    }

    /// Rebuilds a channel's view after missed updates and settles local sockets whose waiter
    /// changed state meanwhile.
    async fn resync(
        &self,
        ch: &Arc<EventChannel>,
    ) -> StoreResult<broadcast::Receiver<EventUpdate>> {
        let rx = self.bus.subscribe(&ch.event).await?;
        let snapshot =
            self.queue.snapshot(&ch.event).await?.ok_or_else(|| {
                StoreError::Unavailable(format!("event {} has no state", ch.event))
            })?;
        ch.rebuild(snapshot);
        for token in ch.local_tokens() {
            if let Some(record) = self.queue.status(token, None).await? {
                ch.settle(token, &record);
            }
        }
        Ok(rx)
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
