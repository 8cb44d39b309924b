//! With the embedded backends, the outcomes no webhook reports: to the buyer's socket, a hold
//! that expired and a late payment that was refunded; to every socket of the event, `sold_out`
//! once the last seat is sold (none available, none held).

use std::sync::Arc;

use tokio::sync::{broadcast, watch};

use super::PurchaseService;
use crate::domain::{Caller, WaitingToken};
use crate::protocol::{
    Notice, PaymentNotice, PaymentOutcome, ReservationNotice, ReservationOutcome, SoldOutNotice,
};
use crate::shutdown::stopped;
use usher_backends::{Backends, EventKind};

/// Pushes the embedded backends' outcomes until `shutdown` turns true.
pub async fn run(
    purchase: PurchaseService,
    backends: Arc<Backends>,
    shutdown: watch::Receiver<bool>,
) {
    let mut events = backends.bus.subscribe();
    loop {
        let received = tokio::select! {
            e = events.recv() => e,
            () = stopped(shutdown.clone()) => return,
        };
        let event = match received {
            Ok(e) => e,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(missed = n, "backend events lagged");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let notice = match event.kind {
            EventKind::ReservationConfirmed => {
                let Some(event_id) = event.event_id.as_deref() else {
                    continue;
                };
                let sold_out = backends
                    .inventory
                    .counts(event_id, None)
                    .is_some_and(|c| c.available == 0 && c.held == 0);
                if sold_out {
                    let notice = Notice::SoldOut(SoldOutNotice {
                        event_id: event_id.to_owned(),
                        remaining: 0,
                    });
                    if let Err(e) = purchase.notify(event_id, None, &[notice]).await {
                        tracing::warn!(error = %e, "could not push sold out");
                    }
                }
                continue;
            }
            EventKind::ReservationExpired => Notice::Reservation(ReservationNotice {
                reservation_id: event.reservation_id.clone(),
                status: ReservationOutcome::Expired,
                order_id: None,
                payment_intent_id: None,
                reason: Some("HOLD_EXPIRED".into()),
            }),
            EventKind::PaymentRefunded => Notice::Payment(PaymentNotice {
                payment_intent_id: event.payment_intent_id.clone().unwrap_or_default(),
                status: PaymentOutcome::Refunded,
                reservation_id: event.reservation_id.clone(),
            }),
            _ => continue,
        };
        // Read for the buyer whose reservation it is.
        let owner = Caller::Buyer(event.user_id.clone());
        let Ok(r) = backends
            .reservations
            .get(&event.reservation_id, &owner)
            .await
        else {
            continue;
        };
        let token = r
            .metadata
            .as_ref()
            .map(|m| m.session_id.as_str())
            .unwrap_or_default();
        if let Ok(token) = WaitingToken::parse(token)
            && let Err(e) = purchase.notify(&r.event_id, Some(token), &[notice]).await
        {
            tracing::warn!(error = %e, "could not push a backend event");
        }
    }
}
