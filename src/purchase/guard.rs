//! The admission guard: failing backends do not burn buyers' turns. While the circuit of the
//! reservation or the payment service is open (see [`crate::upstream::breaker`]), every live
//! event's admission is held in the store: nobody is admitted into a purchase that cannot
//! work, no entry window lapses, and waiters are told `paused` with the reason. The hold is
//! renewed every [`RENEW`] and runs out [`HOLD_FOR`] after the last renewal, so a node that
//! set it and died does not hold a sale for ever. Meanwhile the guard probes the backend with a
//! cheap read; when it answers, the hold is lifted and the entry windows of the buyers
//! admitted before the outage are extended by its length.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tracing::{info, warn};
use usher_proto::payment::v1 as paypb;

use crate::clock::now_ms;
use crate::domain::EventId;
use crate::store::{ConfigPatch, EventConfig, Hold, QueueStore};
use crate::upstream::{Resource, Upstreams};

/// How often the hold is renewed (and the backend probed) while a circuit is open.
pub const RENEW: Duration = Duration::from_secs(2);
/// How long a hold lasts after its last renewal.
pub const HOLD_FOR: Duration = Duration::from_secs(10);

/// The id probes ask about: no such event or payment exists, and any answer but an outage
/// shows the service is back.
const PROBE_ID: &str = "usher-breaker-probe";

pub struct AdmissionGuard {
    pub store: Arc<dyn QueueStore>,
    pub upstream: Upstreams,
    /// Settings an event is created with, should a held event vanish meanwhile.
    pub defaults: EventConfig,
}

impl AdmissionGuard {
    /// Holds admission while a circuit is open, until `stop`.
    pub async fn run(self, stop: watch::Receiver<bool>) {
        let mut opened = [
            self.upstream.reservation_breaker.watch(),
            self.upstream.payment_breaker.watch(),
        ];
        loop {
            let any_open = async {
                let [a, b] = &mut opened;
                tokio::select! {
                    _ = a.wait_for(|open| *open) => {}
                    _ = b.wait_for(|open| *open) => {}
                }
            };
            tokio::select! {
                _ = any_open => {}
                _ = crate::shutdown::stopped(stop.clone()) => return,
            }
            let since = now_ms();
            let mut held = HashSet::new();
            while let Some(reason) = self.failing() {
                self.hold(reason, since, &mut held).await;
                tokio::select! {
                    _ = tokio::time::sleep(RENEW) => {}
                    _ = crate::shutdown::stopped(stop.clone()) => return,
                }
                self.probe().await;
            }
            self.lift(held).await;
        }
    }

    /// What is failing, if anything.
    fn failing(&self) -> Option<&'static str> {
        if self.upstream.reservation_breaker.is_open() {
            Some("reservation_service_unavailable")
        } else if self.upstream.payment_breaker.is_open() {
            Some("payment_service_unavailable")
        } else {
            None
        }
    }

    /// Holds (or renews the hold of) every live event.
    async fn hold(&self, reason: &str, since: u64, held: &mut HashSet<EventId>) {
        let live = match self.store.live_events().await {
            Ok(live) => live,
            Err(e) => {
                warn!(error = %e, "cannot list live events to hold their admission");
                return;
            }
        };
        let patch = ConfigPatch {
            hold: Some(Some(Hold {
                reason: reason.to_owned(),
                since_ms: since,
                until_ms: now_ms() + HOLD_FOR.as_millis() as u64,
            })),
            ..ConfigPatch::default()
        };
        for event in live {
            match self
                .store
                .update_config(&event, &patch, &self.defaults)
                .await
            {
                Ok(_) => {
                    if held.insert(event.clone()) {
                        warn!(event = %event, reason, "admission held: a backend is failing");
                    }
                }
                Err(e) => warn!(event = %event, error = %e, "cannot hold admission"),
            }
        }
    }

    /// One cheap read through each open circuit (refused at once until the circuit lets a
    /// probe through).
    async fn probe(&self) {
        if self.upstream.reservation_breaker.is_open() {
            let _ = self
                .upstream
                .call(Resource::Event, self.upstream.inventory_status(PROBE_ID))
                .await;
        }
        if self.upstream.payment_breaker.is_open() {
            let mut client = self.upstream.payment.clone();
            let req = self.upstream.for_payment(paypb::GetPaymentStatusRequest {
                payment_intent_id: PROBE_ID.to_owned(),
                user_id: PROBE_ID.to_owned(),
            });
            let _ = self
                .upstream
                .call(Resource::Payment, client.get_payment_status(req))
                .await;
        }
    }

    /// Lifts the holds this node set, extending the entry windows they held.
    async fn lift(&self, held: HashSet<EventId>) {
        let patch = ConfigPatch {
            hold: Some(None),
            ..ConfigPatch::default()
        };
        for event in held {
            match self
                .store
                .update_config(&event, &patch, &self.defaults)
                .await
            {
                Ok(_) => info!(event = %event, "backends answer again: admission resumed"),
                // The hold runs out on its own.
                Err(e) => warn!(event = %event, error = %e, "cannot lift the admission hold"),
            }
        }
    }
}
