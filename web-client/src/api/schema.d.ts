// Generated from schema.json by `npm run gen:types`: do not edit. The schema comes from the
// Rust types (src/http/schema.rs); src/api/schema.test.ts fails when this file is stale.

export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public keys of reservation tokens, so that backends can verify them. */
        get: operations["jwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/admin/audit`: operators' actions, newest first. */
        get: operations["audit_log"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/admin/events`: every event with its settings and figures, by id. */
        get: operations["list_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/admin/events/{id}`. */
        get: operations["get_event"];
        /** `PUT /api/v1/admin/events/{id}`: creates or updates the event's settings. */
        put: operations["put_event"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/events/{id}/broadcast": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/v1/admin/events/{id}/broadcast`: a message to everyone waiting for the event,
         *     pushed at once (`announcement`) and shown to those who connect later until replaced or
         *     withdrawn.
         */
        post: operations["broadcast"];
        /** `DELETE /api/v1/admin/events/{id}/broadcast`: withdraws the message. */
        delete: operations["withdraw_broadcast"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/events/{id}/draw/beacon": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * `PUT /api/v1/admin/events/{id}/draw/beacon`: the value of the beacon round the event named,
         *     once the entry list is closed; the draw waits for it.
         */
        put: operations["put_beacon"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/events/{id}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/v1/admin/events/{id}/end`: ends (or cancels) the sale now. Joins are refused
         *     from now on (`SALE_ENDED`) and every waiter is told over the WebSocket (`sale_ended`,
         *     with `cancelled`) and closed; admitted buyers keep their entry window.
         */
        post: operations["end_sale"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/events/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/admin/events/{id}/history`: the whole sale by the minute. */
        get: operations["event_history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/events/{id}/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * `GET /api/v1/admin/events/{id}/live`: the event's figures (`EventStats`) pushed once a
         *     second as server-sent events (`event: stats`), for as long as the dashboard watches. At
         *     most `USHER_ADMIN_LIVE_MAX` streams per node.
         */
        get: operations["event_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/events/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/admin/events/{id}/stats`. */
        get: operations["event_stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/admin/session`: who is signed in. */
        get: operations["admin_session"];
        put?: never;
        /**
         * `POST /api/v1/admin/session`: signs in with an admin token; the answer sets the session
         *     cookie.
         */
        post: operations["admin_sign_in"];
        /** `DELETE /api/v1/admin/session`: signs out (the cookie is cleared). */
        delete: operations["admin_sign_out"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/waiters/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * `DELETE /api/v1/admin/waiters/{token}`: removes a waiter's place. Its socket is told
         *     (`expired`, reason `revoked`) and closed, and the people behind it move up.
         */
        delete: operations["revoke_waiter"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/v1/auth/login` → 200 with a token; 401 `INVALID_CREDENTIALS` for an unknown user
         *     and a wrong password alike.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** `POST /api/v1/auth/register` → 201 with a token. */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/events`: the events on sale (at most [`MAX_LISTED_EVENTS`]), by id. */
        get: operations["public_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/events/{id}`. */
        get: operations["public_event"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/events/{id}/availability` → `{remaining, sections:[{id, remain}]}`. */
        get: operations["availability"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}/draw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/events/{id}/draw`. */
        get: operations["get_draw"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}/draw/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/events/{id}/draw/proof?token=`. */
        get: operations["get_draw_proof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payment/intent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/v1/payment/intent` → 200 with a pending intent for the caller's own reservation,
         *     for exactly its total.
         */
        post: operations["create_payment_intent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payment/process": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** `POST /api/v1/payment/process` → settles the caller's pending payment now. */
        post: operations["process_payment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payment/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/payment/{id}/status` → 200 with the payment's real state. */
        get: operations["payment_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments/intent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/v1/payment/intent` → 200 with a pending intent for the caller's own reservation,
         *     for exactly its total.
         */
        post: operations["create_payment_intent_at_payments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments/process": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** `POST /api/v1/payment/process` → settles the caller's pending payment now. */
        post: operations["process_payment_at_payments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/payment/{id}/status` → 200 with the payment's real state. */
        get: operations["payment_status_at_payments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/queue/challenge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/queue/challenge?event_id=` → 200 a challenge at the event's difficulty now. */
        get: operations["challenge"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/queue/enter": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** `POST /api/v1/queue/enter` → 200 with the one reservation grant of this token. */
        post: operations["enter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/queue/join": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/v1/queue/join` → 202. Its Idempotency-Key is claimed with the join itself
         *     ([`super::idempotency::delegated`]).
         * @description Anonymous joins are allowed (the seed's contract). With a user token (`Authorization:
         *     Bearer`), the place is bound to the token's subject, and one subject holds at most one live
         *     place per event (409 `DUPLICATE_REQUEST`); an invalid token is 401. The body's `user_id`
         *     binds nothing, so naming someone else's id can neither take nor block their place.
         */
        post: operations["join"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/queue/leave": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * `DELETE /api/v1/queue/leave?token=` → 200 `{"status":"left"}`, also for ended or unknown
         *     tokens (leaving is idempotent).
         */
        delete: operations["leave"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/queue/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/queue/status?token=` → 200; a heartbeat. */
        get: operations["status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/queue/ws": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Upgrades to a WebSocket with explicit, small buffers (tungstenite's 128 KiB default read
         *     buffer per connection would dominate memory at scale).
         * @description The waiter's WebSocket, which is also its heartbeat. The server sends JSON text frames (`ServerMessage`: a `snapshot` first, then `position`, `ready`, `paused`, `resumed`, `expired`, `reservation`, `payment`, `sold_out`, `reconnect`, ...), each with a per-connection increasing `seq` and `server_time`; the client may send `ClientMessage` (`ping`, `leave`). Close codes: 1000 left; 4410 expired (join again); 4404 unknown token; 4000 replaced by a newer connection; 4001 slow consumer and 4008 pong timeout (reconnect); 1008 policy violation; 1009 message too big; 1011 server error (reconnect); 1012 restarting and 1013 node full (reconnect after `retry_after_ms`).
         */
        get: operations["queue_socket"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/reservations` → 200: the buyer's own reservations ("my orders"). */
        get: operations["list_reservations"];
        put?: never;
        /** `POST /api/v1/reservations` → 201. Demands the reservation token `enter` issued. */
        post: operations["create_reservation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reservations/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/reservations` → 200: the buyer's own reservations ("my orders"). */
        get: operations["list_reservations_trailing_slash"];
        put?: never;
        /** `POST /api/v1/reservations` → 201. Demands the reservation token `enter` issued. */
        post: operations["create_reservation_trailing_slash"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reservations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** `GET /api/v1/reservations/{id}` → 200, the owner only. */
        get: operations["get_reservation"];
        put?: never;
        post?: never;
        /** Cancels a reservation (as `POST …/cancel`) */
        delete: operations["delete_reservation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reservations/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** `POST /api/v1/reservations/{id}/cancel` and `DELETE /api/v1/reservations/{id}` → 200. */
        post: operations["cancel_reservation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reservations/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * `POST /api/v1/reservations/{id}/confirm` → 200 with the order id, once the payment is
         *     completed.
         */
        post: operations["confirm_reservation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/payment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** `POST /api/v1/webhooks/payment`: see [`crate::purchase::webhook`]. */
        post: operations["payment_webhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers. */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics, at `USHER_METRICS_PATH` (on `USHER_METRICS_BIND` when that is set);
         *     behind `USHER_METRICS_TOKEN` when that is set.
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: not draining, not at the WebSocket cap, and the store has not been unreachable
         *     for longer than `USHER_READY_OUTAGE_SECS`. A slow answer is still an answer: the seed's
         *     readiness, a PING on every probe, flapped with Redis latency and took whole fleets out of
         *     service.
         */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The real version and the git commit it was built from. */
        get: operations["version"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ws": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Upgrades to a WebSocket with explicit, small buffers (tungstenite's 128 KiB default read
         *     buffer per connection would dominate memory at scale).
         * @description The waiter's WebSocket, which is also its heartbeat. The server sends JSON text frames (`ServerMessage`: a `snapshot` first, then `position`, `ready`, `paused`, `resumed`, `expired`, `reservation`, `payment`, `sold_out`, `reconnect`, ...), each with a per-connection increasing `seq` and `server_time`; the client may send `ClientMessage` (`ping`, `leave`). Close codes: 1000 left; 4410 expired (join again); 4404 unknown token; 4000 replaced by a newer connection; 4001 slow consumer and 4008 pong timeout (reconnect); 1008 policy violation; 1009 message too big; 1011 server error (reconnect); 1012 restarting and 1013 node full (reconnect after `retry_after_ms`).
         */
        get: operations["queue_socket_at_root"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description `GET /api/v1/admin/events`. */
        AdminEventList: {
            events: components["schemas"]["EventStats"][];
        };
        /** @description A message an operator broadcast to everyone waiting for an event. */
        Announcement: {
            /**
             * Format: int64
             * @description When it was sent, ms since the Unix epoch.
             */
            at_ms: number;
            message: string;
        };
        /** @description An instant, as RFC 3339 text (any offset) or ms since the Unix epoch. */
        At: components["schemas"]["Rfc3339"] | components["schemas"]["EpochMs"];
        /** @description One operator action, as the audit log keeps it. */
        AuditEntry: {
            /** @description What was done, e.g. `event.update`, `waiter.revoke`, `sale.cancel`, `broadcast`. */
            action: string;
            /** @description Who acted: the admin credential's name (`admin:` and a fingerprint of its token). */
            actor: string;
            /**
             * Format: int64
             * @description Store clock, ms since the Unix epoch.
             */
            at_ms: number;
            /** @description The change in words (the settings given, the token's prefix, the message). */
            detail: string;
            event_id?: string;
        };
        /** @description `GET /api/v1/admin/audit`. */
        AuditLog: {
            /** @description Newest first. */
            entries: components["schemas"]["AuditEntry"][];
        };
        /** @description `GET /api/v1/events/{id}/availability`. */
        Availability: {
            event_id: string;
            /** Format: int32 */
            held: number;
            /** Format: int32 */
            remaining: number;
            sections: components["schemas"]["SectionAvailability"][];
            /** Format: int32 */
            sold: number;
            /** Format: int32 */
            total: number;
        };
        /** @description Body of `PUT /api/v1/admin/events/{id}/draw/beacon`. */
        BeaconBody: {
            /** @description The value the named beacon round published (for example its randomness, hex). */
            value: string;
        };
        /** @description Body of `POST /api/v1/admin/events/{id}/broadcast`. */
        BroadcastBody: {
            /** @description What everyone waiting is told (1 to 500 characters, no control characters). */
            message: string;
        };
        /** @description `POST /api/v1/reservations/{id}/cancel` → 200. */
        Cancelled: {
            cancelled_at: string | null;
            released_seats: components["schemas"]["Seat"][];
            reservation_id: string;
            status: string;
        };
        /** @description `GET /api/v1/queue/challenge`. */
        Challenge: {
            /** @description The text to hash with a nonce: `SHA-256(challenge ":" nonce)`. */
            challenge: string;
            /**
             * Format: int32
             * @description Leading zero bits the hash must have; 0: none is required.
             */
            difficulty: number;
            /**
             * Format: int64
             * @description ms since the Unix epoch; a solution must arrive before.
             */
            expires_at: number;
        };
        /** @description Client → server messages. */
        ClientMessage: {
            /** @enum {string} */
            type: "ping";
        } | {
            /** @enum {string} */
            type: "leave";
        };
        /**
         * @description Body of `PUT /api/v1/admin/events/{id}`: every field optional; `"max_active": null` removes
         *     the cap.
         */
        ConfigBody: {
            /**
             * @description The public randomness round the draw will wait for (named before anyone joins; its
             *     value is given after the close, `PUT …/draw/beacon`); null: none.
             */
            beacon_round?: string | null;
            /** Format: int32 */
            burst?: number | null;
            /** Format: int32 */
            entry_window_secs?: number | null;
            /** Format: int64 */
            max_active?: number | null;
            paused?: boolean | null;
            /**
             * Format: int32
             * @description Leading zero bits a join's proof of work must have (0: none); raising it takes effect
             *     for the next challenge checked, older easier solutions are refused (`POW_TOO_EASY`).
             */
            pow_difficulty?: number | null;
            prequeue_opens_at?: null | components["schemas"]["At"];
            /**
             * @description "Queue everyone": take joins and admit nobody until it is lifted (waiters are told the
             *     sale is gathering its queue, not that it is paused).
             */
            queue_all?: boolean | null;
            queueing_method?: null | components["schemas"]["QueueingMethod"];
            /** Format: double */
            rate_per_sec?: number | null;
            sale_ends_at?: null | components["schemas"]["At"];
            sale_starts_at?: null | components["schemas"]["At"];
        };
        /** @description `POST /api/v1/reservations/{id}/confirm`. */
        ConfirmReservation: {
            payment_intent_id: string;
        };
        /** @description `POST /api/v1/reservations/{id}/confirm` → 200. */
        Confirmed: {
            confirmed_at: string | null;
            order_id: string;
            reservation_id: string;
            seats: components["schemas"]["Seat"][];
            status: string;
        };
        /** @description `POST /api/v1/payment/intent`. */
        CreateIntent: {
            /**
             * Format: int64
             * @description The reservation's total, in the currency's minor units.
             */
            amount: number;
            currency?: string | null;
            reservation_id: string;
            /** @description The simulator's scenarios. */
            scenario?: string | null;
        };
        /** @description `POST /api/v1/reservations`. */
        CreateReservation: {
            /** @example evt_2025_1001 */
            event_id: string;
            /** Format: int32 */
            quantity?: number;
            /** @description What `POST /api/v1/queue/enter` handed out. */
            reservation_token: string;
            /** @description The seats to hold; or none, and `quantity` seats the inventory chooses. */
            seat_ids?: string[];
        } | {
            seat_ids: unknown;
        } | {
            quantity: unknown;
        };
        /** @description `GET /api/v1/events/{id}/draw`: a random start's draw as far as it went. */
        DrawPublic: {
            /** @description `usher-draw-v1`: the algorithm the README states. */
            algorithm: string;
            /** @description The public randomness round the draw waits for, named in advance. */
            beacon_round: string | null;
            beacon_value: string | null;
            /** Format: int64 */
            closed_at: number | null;
            /** @description SHA-256 of the secret seed, hex: published before anyone could join. */
            commitment: string;
            /** Format: int64 */
            drawn_at: number | null;
            /** Format: int64 */
            entrants: number | null;
            /** @description Merkle root of the entry list, hex. */
            entry_root: string | null;
            event_id: components["schemas"]["EventId"];
            /**
             * Format: int64
             * @description ms since the Unix epoch.
             */
            prequeue_opens_at: number | null;
            /** Format: int64 */
            sale_starts_at: number;
            /** @description The seed, hex: revealed with the draw. */
            seed: string | null;
            /**
             * @description `open` (entrants join the pre-queue), `closed` (the entry list is fixed; the draw is
             *     being made) or `drawn`.
             */
            state: string;
        };
        /** @description Body of `POST /api/v1/admin/events/{id}/end`. */
        EndBody: {
            /** @description Call the sale off rather than close it: waiters are told it was cancelled. */
            cancel?: boolean;
        };
        EnterBody: {
            /** Format: uuid */
            waiting_token: string;
        };
        /** @description `GET /api/v1/events/{id}/draw/proof`: one entrant's place in the draw, and what proves it. */
        EntryProof: {
            /** Format: int64 */
            entrants: number;
            entry_root: string;
            event_id: components["schemas"]["EventId"];
            /**
             * Format: int64
             * @description The entrant's 1-based entry index: its place in the pre-queue's arrival order.
             */
            index: number;
            /** @description SHA-256(0x00 ‖ token), hex. */
            leaf: string;
            /**
             * Format: int64
             * @description The rank the draw gave this entrant (1 = admitted first).
             */
            rank: number;
            /** @description Sibling hashes from the leaf up to the root, hex, only where a level has one. */
            siblings: string[];
        };
        /**
         * Format: int64
         * @description Milliseconds since the Unix epoch.
         */
        EpochMs: number;
        /** @description The seed's error envelope, the body of every error answer. */
        ErrorBody: {
            error: components["schemas"]["ErrorDetail"];
        };
        ErrorDetail: {
            /** @description A stable code, e.g. `TOKEN_NOT_FOUND`. */
            code: string;
            message: string;
            /**
             * Format: int64
             * @description `SALE_NOT_OPEN`: when the pre-queue opens (ms since the Unix epoch).
             */
            opens_at?: number;
            /** @description The request's trace id (also in `X-Request-ID`). */
            trace_id: string;
        };
        /**
         * @description Admission settings of one event. An event exists once an operator created it (admin API) or
         *     the queue created it for an event the inventory knows (see [`crate::queue::EventDirectory`]);
         *     joins never create events.
         */
        EventConfig: {
            /** @description The operator's last message to everyone waiting for the event. */
            announcement?: components["schemas"]["Announcement"];
            /**
             * Format: int32
             * @description Token-bucket capacity: the most admissions one step can make after a quiet spell.
             */
            burst: number;
            /**
             * Format: int32
             * @description How long an admitted waiter may take to call `enter` before the slot is freed.
             */
            entry_window_secs: number;
            /**
             * @description Admission held by usher itself (a backend is failing), apart from the operator's
             *     `paused`: nobody is admitted and no entry window lapses until it is lifted or runs out.
             */
            hold?: components["schemas"]["Hold"];
            /**
             * Format: int32
             * @description Cap on concurrently active users (admitted but not yet entered, or entered and still in
             *     their session); `None` is unlimited.
             */
            max_active: number | null;
            /** @description A paused event admits nobody; waiters keep their places. */
            paused: boolean;
            /**
             * Format: int32
             * @description Leading zero bits a join's proof of work must have (see [`crate::queue::pow`]);
             *     0: none is asked for.
             */
            pow_difficulty?: number;
            /**
             * @description "Queue everyone": joins are taken and nobody is admitted, until the operator lifts it.
             *     Unlike `paused`, waiters are told the sale is gathering its queue, not that it stopped.
             */
            queue_all?: boolean;
            /**
             * Format: double
             * @description Token-bucket refill: admissions per second.
             */
            rate_per_sec: number;
            /**
             * @description When the sale opens, starts and ends, and how those who arrive before it starts are
             *     ordered; none: the queue is open, FIFO, from its first join.
             */
            schedule?: components["schemas"]["Schedule"];
        };
        /** @description The id of an on-sale event (one queue per event), e.g. `evt_2025_1001`. */
        EventId: string;
        /** @description `GET /api/v1/events`. */
        EventList: {
            events: components["schemas"]["PublicEvent"][];
        };
        /** @description An event's settings (`GET` and `PUT /api/v1/admin/events/{id}`). */
        EventSettings: components["schemas"]["EventConfig"] & {
            event_id: components["schemas"]["EventId"];
        };
        /** @description `GET /api/v1/admin/events/{id}/stats`. */
        EventStats: {
            /** Format: int64 */
            active: number;
            /** Format: double */
            admission_rate: number;
            /** Format: int64 */
            admitted_total: number;
            config: components["schemas"]["EventConfig"];
            /** Format: int64 */
            entered_total: number;
            /**
             * Format: double
             * @description Share of this node's ETA predictions that came true, once there are any.
             */
            eta_accuracy: number | null;
            /** Format: double */
            eta_confidence: number;
            event_id: components["schemas"]["EventId"];
            /** Format: int64 */
            expired_total: number;
            head_seq: components["schemas"]["Seq"];
            /** Format: int64 */
            joined_total: number;
            /** Format: int64 */
            lapsed_total: number;
            /** Format: int64 */
            left_total: number;
            /**
             * Format: int64
             * @description Open sockets of the event on this node.
             */
            local_connections: number;
            next_seq: components["schemas"]["Seq"];
            /** Format: int64 */
            waiting: number;
        };
        /** @enum {string} */
        ExpiredReason: "heartbeat_lost" | "entry_window_ended" | "place_lost" | "revoked";
        /** @description Response body of a successful enter. */
        Granted: {
            admission: string;
            event_id: components["schemas"]["EventId"];
            reservation_token: string;
            /** Format: int32 */
            ttl_sec: number;
        };
        /** @description `/healthz` and `/readyz`: whether this node serves, and why not. */
        Health: {
            /** @description Why the node is not ready. */
            reason?: string;
            service?: string;
            /** @description `healthy`, `ready` or `not ready`. */
            status: string;
            /** @description RFC 3339. */
            timestamp: string;
        };
        /** @description `GET /api/v1/admin/events/{id}/history`. */
        History: {
            event_id: components["schemas"]["EventId"];
            /**
             * @description The event's totals at the end of each recorded minute, oldest first (a week by
             *     default, `USHER_HISTORY_MINUTES`); the figures of a minute are the differences
             *     between consecutive samples.
             */
            minutes: components["schemas"]["MinuteSample"][];
        };
        /**
         * @description Why and since when usher holds an event's admission, and until when the hold lasts unless
         *     renewed (a node that set it and died does not hold the sale for ever).
         */
        Hold: {
            /** @description What is failing, for waiters and operators (e.g. `reservation_service_unavailable`). */
            reason: string;
            /**
             * Format: int64
             * @description Store clock, ms since the Unix epoch.
             */
            since_ms: number;
            /** Format: int64 */
            until_ms: number;
        };
        JoinBody: {
            /** @example evt_2025_1001 */
            event_id: string;
            pow?: null | components["schemas"]["Solution"];
            /**
             * @description The seed's field, accepted and checked for shape only: a client can write any id here,
             *     so it never decides who holds a place (see [`join`]).
             */
            user_id?: string | null;
        };
        /** @description Response body of a join (the seed's fields, then usher's). */
        Joined: {
            /** @description `[low, high]` seconds; null while admission is paused. */
            eta_range?: [
                number,
                number
            ] | null;
            /**
             * Format: int64
             * @description Seconds to admission; while paused, the wait once admission resumes at the configured
             *     rate.
             */
            eta_sec: number;
            /** Format: int64 */
            position: number;
            /**
             * Format: int64
             * @description The seed always sent 0 here; usher sends the real position.
             */
            position_hint: number;
            status: string;
            waiting_token: components["schemas"]["WaitingToken"];
            /** @description Where to open the WebSocket (relative to this origin). */
            ws_url: string;
        };
        /** @description `DELETE /api/v1/queue/leave` → 200. */
        Left: {
            /** @description Always `left`. */
            status: string;
        };
        LoginBody: {
            password: string;
            username: string;
        };
        /** @description An event's lifetime totals at the end of one minute, as the sale's history keeps them. */
        MinuteSample: {
            /** Format: int64 */
            active: number;
            /** Format: int64 */
            admitted: number;
            /** Format: int64 */
            entered: number;
            /** Format: int64 */
            joined: number;
            /**
             * Format: int64
             * @description The minute's start, ms since the Unix epoch (a multiple of 60,000).
             */
            minute_ms: number;
            /**
             * Format: int64
             * @description Seats sold so far.
             */
            sold: number;
            /**
             * Format: int64
             * @description Waiting at the end of the minute.
             */
            waiting: number;
        };
        /** @description An amount in a currency's minor units. */
        Money: {
            /** Format: int64 */
            amount: number;
            currency: string;
        };
        /** @description `GET /api/v1/payment/{id}/status`. */
        Payment: {
            /** Format: int64 */
            amount: number;
            currency: string;
            payment_intent_id: string;
            processed_at: string | null;
            reservation_id: string;
            status: string;
            transaction_id: string | null;
        };
        /** @description `POST /api/v1/payment/intent` → 200. */
        PaymentIntent: {
            /** Format: int64 */
            amount: number;
            client_secret: string;
            currency: string;
            expires_at: string | null;
            payment_intent_id: string;
            reservation_id: string;
            status: string;
        };
        /** @description A `payment` message: a payment of this buyer was settled. */
        PaymentNotice: {
            payment_intent_id: string;
            reservation_id: string;
            status: components["schemas"]["PaymentOutcome"];
        };
        /**
         * @description What happened to a payment.
         * @enum {string}
         */
        PaymentOutcome: "COMPLETED" | "FAILED" | "REFUNDED";
        /**
         * @description What a payment webhook says about a settled payment: the fields its receiver acts on.
         *     Receivers ignore every other field, so a payment service may send more.
         */
        PaymentWebhook: {
            /** @description The payment's id (the seed's name; the intent id when `payment_intent_id` is absent). */
            payment_id: string;
            payment_intent_id?: string | null;
            /** @description The reservation the payment says it pays for. */
            reservation_id: string;
            /** @description The payment's `payment.v1.PaymentStatus` name, e.g. `COMPLETED` or `FAILED`. */
            status: string;
            /**
             * Format: int64
             * @description When the webhook was made, in seconds since the Unix epoch (receivers refuse stale ones).
             */
            timestamp: number;
        };
        /** @description `POST /api/v1/payment/process`. */
        ProcessPayment: {
            /** @description `approve` (the default) or `fail`. */
            action?: string | null;
            payment_intent_id: string;
        };
        /** @description `POST /api/v1/payment/process` → 200. */
        Processed: {
            action: string;
            message: string;
            payment_intent_id: string;
            status: string;
            transaction_id: string;
        };
        /** @description `GET /api/v1/events/{id}`: an event as buyers see it. */
        PublicEvent: {
            description?: string;
            event_id: string;
            /** @description The inventory's name for it (its id when the inventory does not list it). */
            name: string;
            queue: components["schemas"]["PublicQueue"];
            /** Format: int32 */
            remaining?: number;
            /** @description Sections with their price and the seats left in each. */
            sections: components["schemas"]["SectionAvailability"][];
            /** @description When the event takes place (RFC 3339). */
            starts_at?: string;
            /**
             * Format: int32
             * @description Seats in all and free now; absent when the inventory does not list the event.
             */
            total?: number;
            venue?: components["schemas"]["PublicVenue"];
        };
        /** @description The queue part of a public event. */
        PublicQueue: {
            /** @description The operator's last message to everyone waiting. */
            announcement?: components["schemas"]["Announcement"];
            /**
             * Format: int64
             * @description When joins open (ms since the Unix epoch), for a scheduled sale.
             */
            opens_at?: number;
            queueing_method?: components["schemas"]["QueueingMethod"];
            /** Format: int64 */
            sale_ends_at?: number;
            /** Format: int64 */
            sale_starts_at?: number;
            state: components["schemas"]["SaleState"];
            /**
             * Format: int64
             * @description People waiting now.
             */
            waiting: number;
        };
        /** @description Where an event takes place. */
        PublicVenue: {
            address?: string;
            city?: string;
            country?: string;
            name: string;
        };
        /** @description Server → client messages (without the envelope fields added at send time). */
        Push: (components["schemas"]["QueueStatus"] & {
            /** @enum {string} */
            type: "snapshot";
        }) | (components["schemas"]["QueueStatus"] & {
            /** @enum {string} */
            type: "position";
        }) | (components["schemas"]["QueueStatus"] & {
            /** @enum {string} */
            type: "ready";
        }) | {
            reason: components["schemas"]["ExpiredReason"];
            /** @enum {string} */
            type: "expired";
        } | {
            /** @enum {string} */
            type: "left";
        } | {
            reason?: string | null;
            /** @enum {string} */
            type: "paused";
        } | {
            /** @enum {string} */
            type: "resumed";
        } | {
            /** @enum {string} */
            type: "pong";
        } | {
            /** @enum {string} */
            type: "degraded";
        } | {
            /** @enum {string} */
            type: "recovered";
        } | (components["schemas"]["ReservationNotice"] & {
            /** @enum {string} */
            type: "reservation";
        }) | (components["schemas"]["PaymentNotice"] & {
            /** @enum {string} */
            type: "payment";
        }) | (components["schemas"]["SoldOutNotice"] & {
            /** @enum {string} */
            type: "sold_out";
        }) | {
            cancelled?: boolean;
            event_id: string;
            /** @enum {string} */
            type: "sale_ended";
        } | {
            /**
             * Format: int64
             * @description When it was sent, ms since the Unix epoch.
             */
            at_ms: number;
            message: string;
            /** @enum {string} */
            type: "announcement";
        } | {
            /** @enum {string} */
            type: "announcement_withdrawn";
        } | {
            /** Format: int64 */
            retry_after_ms: number;
            /** @enum {string} */
            type: "reconnect";
        } | {
            code: string;
            message: string;
            /** @enum {string} */
            type: "error";
        };
        /** @description The seed's status fields followed by usher's additive ones. */
        QueueStatus: {
            /**
             * Format: double
             * @description Admissions per second the ETA is based on.
             */
            admission_rate: number;
            /**
             * Format: int64
             * @description When the waiter was admitted (ms since the Unix epoch).
             */
            admitted_at?: number;
            /** @description The operator's last message to everyone waiting (also pushed as `announcement`). */
            announcement?: components["schemas"]["Announcement"];
            /** Format: double */
            confidence: number;
            /**
             * Format: int64
             * @description The rank this waiter drew in a random start (1 = first), once the draw is made.
             */
            drawn_rank?: number;
            /**
             * Format: int64
             * @description Admitted waiters must call enter before this instant (ms since the Unix epoch).
             */
            entry_deadline?: number;
            /** @description `[low, high]` seconds; null while admission is paused (confidence 0). */
            eta_range?: [
                number,
                number
            ] | null;
            /**
             * Format: int64
             * @description Seconds to admission; while paused, the wait once admission resumes at the configured
             *     rate.
             */
            eta_sec: number;
            /** @description Why usher holds admission by itself (a backend is failing), when it does. */
            pause_reason?: string;
            /** @description Admission is stopped: paused by the operator, or held by usher (`pause_reason`). */
            paused: boolean;
            /**
             * @description usher's own, finer phase: `waiting`, `admitted` (may enter) or `entered`; for a
             *     scheduled sale also `prequeue` (joined before the sale starts) and `drawing` (a random
             *     start's entry list is closed and its draw is being made: no position yet).
             */
            phase: string;
            /**
             * Format: int64
             * @description When a client without a WebSocket should poll again.
             */
            poll_after_ms: number;
            /**
             * Format: int64
             * @description 1-based place in the queue; 0 once admitted.
             */
            position: number;
            /**
             * Format: int64
             * @description Entrants of the pre-queue (phases `prequeue` and `drawing`): pushed as it grows.
             */
            prequeue_size?: number;
            /**
             * @description The operator queues everyone: joins are taken and nobody is admitted yet (not a
             *     pause: the sale is gathering its queue).
             */
            queue_all?: boolean;
            /** @description A scheduled sale's queueing method: `fifo` or `random_at_start`. */
            queueing_method?: string;
            ready_for_entry: boolean;
            /**
             * Format: int64
             * @description When a scheduled sale ends (ms since the Unix epoch).
             */
            sale_ends_at?: number;
            /**
             * Format: int64
             * @description When a scheduled sale starts (ms since the Unix epoch).
             */
            sale_starts_at?: number;
            /**
             * @description The seed's field: `waiting` until the waiter entered (an admitted waiter says `waiting`
             *     with `ready_for_entry: true`, which the seed's client enters on), then `ready`.
             */
            status: string;
            /** Format: int64 */
            total_waiting: number;
            /**
             * Format: int64
             * @description Seconds since joining.
             */
            waiting_time: number;
        };
        /**
         * @description How a scheduled sale orders those who join before it starts.
         * @enum {string}
         */
        QueueingMethod: "fifo" | "random_at_start";
        RegisterBody: {
            display_name?: string;
            email?: string;
            password: string;
            /**
             * @description Compared case-insensitively.
             * @example alice
             */
            username: string;
        };
        /** @description `GET /api/v1/reservations/{id}`. */
        Reservation: {
            created_at: string | null;
            event_id: string;
            hold_expires_at: string | null;
            order_id: string | null;
            payment_intent_id: string | null;
            /** Format: int32 */
            quantity: number;
            reservation_id: string;
            seat_ids: string[];
            seats: components["schemas"]["Seat"][];
            status: string;
            total_amount: null | components["schemas"]["Money"];
            updated_at: string | null;
            user_id: string;
        };
        /** @description `POST /api/v1/reservations` → 201. */
        ReservationCreated: {
            event_id: string;
            hold_expires_at: string | null;
            quantity: number;
            reservation_id: string;
            seat_ids: string[];
            seats: components["schemas"]["Seat"][];
            status: string;
            total_amount: null | components["schemas"]["Money"];
            user_id: string;
        };
        /** @description `GET /api/v1/reservations`. */
        ReservationList: {
            /** @description Newest first, at most 100. */
            reservations: components["schemas"]["Reservation"][];
        };
        /** @description A `reservation` message: a reservation of this buyer changed. */
        ReservationNotice: {
            order_id?: string;
            payment_intent_id?: string;
            /** @description The error code behind `NOT_CONFIRMED`, `FAILED` or `EXPIRED`. */
            reason?: string;
            reservation_id: string;
            status: components["schemas"]["ReservationOutcome"];
        };
        /**
         * @description What happened to a reservation.
         * @enum {string}
         */
        ReservationOutcome: "CONFIRMED" | "NOT_CONFIRMED" | "FAILED" | "EXPIRED";
        /** @description `DELETE /api/v1/admin/waiters/{token}` → 200. */
        Revoked: {
            event_id: components["schemas"]["EventId"];
            revoked: boolean;
        };
        /**
         * Format: date-time
         * @description RFC 3339 text, e.g. `2026-12-01T10:00:00+01:00`.
         */
        Rfc3339: string;
        /**
         * @description Where an event's queue stands, as buyers are told before joining.
         * @enum {string}
         */
        SaleState: "not_open" | "prequeue" | "open" | "paused" | "gathering" | "sold_out" | "ended" | "cancelled";
        /** @description A scheduled sale. Times are the store clock's, ms since the Unix epoch. */
        Schedule: {
            /**
             * @description The public randomness the draw waits for, named before the pre-queue opens (for
             *     example a beacon's round number); its value is given by the operator after the close.
             */
            beacon_round?: string;
            /**
             * @description The sale was called off by an operator (it ended at `sale_ends_at_ms`): waiters are
             *     told it was cancelled rather than over.
             */
            cancelled?: boolean;
            /**
             * Format: int64
             * @description Joins before this instant are refused (`SALE_NOT_OPEN`); none: the pre-queue is open
             *     until the sale starts.
             */
            prequeue_opens_at_ms?: number;
            queueing_method: components["schemas"]["QueueingMethod"];
            /**
             * Format: int64
             * @description Joins from this instant are refused (`SALE_ENDED`) and waiters are told the sale ended;
             *     admitted buyers keep their entry window.
             */
            sale_ends_at_ms?: number;
            /**
             * Format: int64
             * @description Nobody is admitted before this instant; those who joined before it are the pre-queue.
             */
            sale_starts_at_ms: number;
        };
        Seat: {
            id: string;
            number: string;
            price: null | components["schemas"]["Money"];
            row: string;
            section: string;
        };
        /** @description One section's seats. */
        SectionAvailability: {
            id: string;
            price: null | components["schemas"]["Money"];
            /** Format: int32 */
            remain: number;
            /** Format: int32 */
            total: number;
        };
        /**
         * Format: int64
         * @description Join order within one event: issued atomically by the store, starting at 1, never reused.
         *     FIFO admission is "lowest waiting sequence number first".
         */
        Seq: number;
        /** @description The wire form: the message with the envelope fields. */
        ServerMessage: components["schemas"]["Push"] & {
            /** Format: int64 */
            seq: number;
            /** Format: int64 */
            server_time: number;
        };
        /** @description Login and register answer: a user token and who it is for. */
        Session: {
            display_name: string;
            /**
             * Format: int64
             * @description Seconds the token is valid for.
             */
            expires_in: number;
            role: string;
            token: string;
            user_id: string;
            username: string;
        };
        /** @description A dashboard session. */
        SessionInfo: {
            /**
             * Format: int64
             * @description When the session ends, ms since the Unix epoch.
             */
            expires_at: number;
            /** @description Who is signed in (the admin token's name, never the token). */
            operator: string;
        };
        /**
         * @description What a webhook did to the reservation it pays for.
         * @enum {string}
         */
        Settlement: "confirmed" | "not_confirmed" | "failed";
        /** @description Body of `POST /api/v1/admin/session`. */
        SignIn: {
            /** @description One of the admin tokens (`USHER_ADMIN_TOKEN`). */
            token: string;
        };
        /** @description A `sold_out` message. */
        SoldOutNotice: {
            event_id: string;
            /** Format: int64 */
            remaining: number;
        };
        /** @description A join's solution (the `pow` field of its body). */
        Solution: {
            challenge: string;
            /** @description Decimal digits. */
            nonce: string;
        };
        /** @description `/version`. */
        Version: {
            /** @description When it was built (RFC 3339). */
            built: string;
            /** @description The git commit it was built from. */
            commit: string;
            service: string;
            version: string;
        };
        /**
         * Format: uuid
         * @description A waiting token: the bearer credential of one place in one queue (a UUIDv4, as in the seed).
         */
        WaitingToken: string;
        /** @description What the payment webhook answers. */
        WebhookAnswer: {
            order_id: string | null;
            status: components["schemas"]["Settlement"];
        } | {
            reason?: string;
            status: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    jwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A JSON Web Key Set (RFC 7517) of the ES256 keys that sign reservation tokens */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    audit_log: {
        parameters: {
            query?: {
                /** @description Entries to return, newest first (1 to 1000; 100 by default). */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The newest entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditLog"];
                };
            };
            /** @description `INVALID_REQUEST` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_events: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every event (bounded by the number of events) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminEventList"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_event: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event's settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventSettings"];
                };
            };
            /** @description `INVALID_REQUEST` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_event: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfigBody"];
            };
        };
        responses: {
            /** @description The event's settings after the change (an event that did not exist is created) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventSettings"];
                };
            };
            /** @description `INVALID_REQUEST`: a value out of range, a schedule that breaks its rules, or an unknown field; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `SCHEDULE_LOCKED`: the queueing method once anyone has joined, or anything but `sale_ends_at` once the entry list is closed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    broadcast: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BroadcastBody"];
            };
        };
        responses: {
            /** @description Sent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Announcement"];
                };
            };
            /** @description `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    withdraw_broadcast: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Withdrawn */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `INVALID_REQUEST` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_beacon: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BeaconBody"];
            };
        };
        responses: {
            /** @description Recorded: the draw is made with it */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `NO_BEACON_ROUND` (the event names none), `DRAW_NOT_CLOSED` (too early: a value known before the close could steer who enters) or `BEACON_ALREADY_SET` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    end_sale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EndBody"];
            };
        };
        responses: {
            /** @description Ended: the event's settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventSettings"];
                };
            };
            /** @description `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    event_history: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Waiting, admitted, entered and sold by the minute */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["History"];
                };
            };
            /** @description `INVALID_REQUEST` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    event_live: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `text/event-stream`: an `EventStats` per second */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["EventStats"];
                };
            };
            /** @description `INVALID_REQUEST` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `TOO_MANY_STREAMS`: this node serves its most live views; `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    event_stats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event's queue and admission figures */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventStats"];
                };
            };
            /** @description `INVALID_REQUEST` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    admin_session: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session (or the bearer token's holder) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionInfo"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    admin_sign_in: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignIn"];
            };
        };
        responses: {
            /** @description Signed in: `Set-Cookie: usher_admin=…; HttpOnly; SameSite=Strict` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionInfo"];
                };
            };
            /** @description `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INVALID_TOKEN`: not an admin token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: too many sign-ins from this address (`USHER_AUTH_RATE_PER_MIN`, `USHER_AUTH_BURST`) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    admin_sign_out: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    revoke_waiter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The waiting token */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Revoked"];
                };
            };
            /** @description `INVALID_TOKEN_FORMAT` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `TOKEN_NOT_FOUND`: unknown or already ended */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginBody"];
            };
        };
        responses: {
            /** @description A user token */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INVALID_CREDENTIALS` (unknown user and wrong password alike) */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `TOO_MANY_LOGIN_ATTEMPTS` for this account, or `RATE_LIMITED` for this address; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HASH_ERROR`, `TOKEN_ERROR`; `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `SERVER_BUSY`: password hashing is saturated; `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterBody"];
            };
        };
        responses: {
            /** @description Registered: a user token */
            201: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description `INVALID_REQUEST`: username, password (8 to 128 characters), email or display name out of bounds; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `USERNAME_EXISTS`; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HASH_ERROR`, `TOKEN_ERROR`; `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REGISTRATION_CLOSED` (`USHER_MAX_USERS` accounts), `SERVER_BUSY` (password hashing is saturated); `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    public_events: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Events with an inventory: those the embedded inventory lists and those with a queue (at most about a second old) */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    public_event: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event, its seats and its queue (at most about a second old) */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicEvent"];
                };
            };
            /** @description `INVALID_REQUEST` */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND`: no such sale */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    availability: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Seats left, in all and per section */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Availability"];
                };
            };
            /** @description `INVALID_REQUEST` */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND` */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_draw: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The draw's public record: what anyone needs to check it, as far as it went */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DrawPublic"];
                };
            };
            /** @description `INVALID_REQUEST` */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `DRAW_NOT_FOUND`: not a random start */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_draw_proof: {
        parameters: {
            query: {
                /** @description The waiting token the join answered. */
                token: string;
            };
            header?: never;
            path: {
                /** @description The event id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entrant's entry index, its inclusion proof in the entry root and its drawn rank */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntryProof"];
                };
            };
            /** @description `MISSING_TOKEN`, `INVALID_REQUEST` */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `DRAW_NOT_FOUND`, `TOKEN_NOT_FOUND` (not an entrant of this draw) */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `DRAW_NOT_MADE`: the draw is not made yet */
            409: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_payment_intent: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateIntent"];
            };
        };
        responses: {
            /** @description A pending payment intent */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentIntent"];
                };
            };
            /** @description `MISSING_RESERVATION_ID`, `INVALID_AMOUNT`, `AMOUNT_MISMATCH` (not the reservation's total), `INVALID_SCENARIO`, `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_NOT_FOUND` (also someone else's) */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_EXPIRED`, `CONFLICT`, `ALREADY_EXISTS`; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `FAILED_PRECONDITION` */
            412: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    process_payment: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProcessPayment"];
            };
        };
        responses: {
            /** @description Settled (the reservation is confirmed by the payment's webhook) */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Processed"];
                };
            };
            /** @description `MISSING_PAYMENT_INTENT_ID`, `INVALID_ACTION`, `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYMENT_NOT_FOUND` (also someone else's) */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `CONFLICT`: already settled; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `FAILED_PRECONDITION` */
            412: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    payment_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The payment intent id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The payment */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payment"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYMENT_NOT_FOUND` (also someone else's) */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_payment_intent_at_payments: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateIntent"];
            };
        };
        responses: {
            /** @description A pending payment intent */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentIntent"];
                };
            };
            /** @description `MISSING_RESERVATION_ID`, `INVALID_AMOUNT`, `AMOUNT_MISMATCH` (not the reservation's total), `INVALID_SCENARIO`, `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_NOT_FOUND` (also someone else's) */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_EXPIRED`, `CONFLICT`, `ALREADY_EXISTS`; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `FAILED_PRECONDITION` */
            412: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    process_payment_at_payments: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProcessPayment"];
            };
        };
        responses: {
            /** @description Settled (the reservation is confirmed by the payment's webhook) */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Processed"];
                };
            };
            /** @description `MISSING_PAYMENT_INTENT_ID`, `INVALID_ACTION`, `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYMENT_NOT_FOUND` (also someone else's) */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `CONFLICT`: already settled; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `FAILED_PRECONDITION` */
            412: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    payment_status_at_payments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The payment intent id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The payment */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Payment"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYMENT_NOT_FOUND` (also someone else's) */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    challenge: {
        parameters: {
            query: {
                event_id: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A signed, expiring, single-use challenge; with `difficulty` 0 the event asks for none and a join needs no `pow` */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Challenge"];
                };
            };
            /** @description `MISSING_EVENT_ID`, `INVALID_REQUEST` */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    enter: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EnterBody"];
            };
        };
        responses: {
            /** @description Admitted: the one reservation token of this place (valid for `ttl_sec`; register or log in before entering) */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Granted"];
                };
            };
            /** @description `MISSING_TOKEN`, `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `NOT_READY`: the turn has not come yet */
            403: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `TOKEN_NOT_FOUND`, `TOKEN_EXPIRED` */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `ALREADY_ENTERED`; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `TOKEN_ERROR`: the reservation token could not be signed; `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    join: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["JoinBody"];
            };
        };
        responses: {
            /** @description In the queue (a replay of the same key and body answers the same place) */
            202: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Joined"];
                };
            };
            /** @description `MISSING_EVENT_ID`, `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description A user token was sent and is not valid: `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `SALE_NOT_OPEN` (the pre-queue opens at `opens_at`), `POW_REQUIRED` (the event asks for a proof of work); a refused proof of work: `POW_INVALID`, `POW_EXPIRED`, `POW_TOO_EASY` (fetch a new challenge) */
            403: {
                headers: {
                    "Retry-After"?: number;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND` */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `DUPLICATE_REQUEST`: this user already holds a place in the event; `POW_REUSED`: the challenge was spent by another join; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `SALE_ENDED` */
            410: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `QUEUE_FULL` (the event's queue is at its cap), `UPSTREAM_UNAVAILABLE` (the inventory cannot say whether the event exists); `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    leave: {
        parameters: {
            query: {
                /** @description The waiting token the join answered. */
                token: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Left (also for an ended or unknown token) */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Left"];
                };
            };
            /** @description `MISSING_TOKEN` */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    status: {
        parameters: {
            query: {
                /** @description The waiting token the join answered. */
                token: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The waiter's place; a heartbeat that keeps it */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueStatus"];
                };
            };
            /** @description `MISSING_TOKEN`, `INVALID_REQUEST` */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `TOKEN_NOT_FOUND`, `TOKEN_EXPIRED` */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `SALE_ENDED`: the sale ended and the place with it */
            410: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    queue_socket: {
        parameters: {
            query: {
                /** @description The waiting token the join answered. */
                token: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching to the WebSocket protocol */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `INVALID_REQUEST`: a malformed query string */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPGRADE_REQUIRED`: not a WebSocket upgrade */
            426: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` (upgrades from this address), `TOO_MANY_CONNECTIONS` (open sockets from this address) */
            429: {
                headers: {
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_reservations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The buyer's reservations and their states, newest first (at most 100) */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationList"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN`; `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_reservation: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateReservation"];
            };
        };
        responses: {
            /** @description Seats held for the buyer until `hold_expires_at` */
            201: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationCreated"];
                };
            };
            /** @description `MISSING_EVENT_ID`, `MISSING_SEATS`, `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_TOKEN_REQUIRED`, `INVALID_RESERVATION_TOKEN` (missing, expired, forged, or for another event) */
            403: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND`, `SEAT_NOT_FOUND` */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_TOKEN_IN_USE`, `RESERVATION_TOKEN_USED`, `INVENTORY_CONFLICT` (a seat is taken), `INSUFFICIENT_INVENTORY`; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    list_reservations_trailing_slash: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The buyer's reservations and their states, newest first (at most 100) */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationList"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN`; `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    create_reservation_trailing_slash: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateReservation"];
            };
        };
        responses: {
            /** @description Seats held for the buyer until `hold_expires_at` */
            201: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReservationCreated"];
                };
            };
            /** @description `MISSING_EVENT_ID`, `MISSING_SEATS`, `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_TOKEN_REQUIRED`, `INVALID_RESERVATION_TOKEN` (missing, expired, forged, or for another event) */
            403: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `EVENT_NOT_FOUND`, `SEAT_NOT_FOUND` */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_TOKEN_IN_USE`, `RESERVATION_TOKEN_USED`, `INVENTORY_CONFLICT` (a seat is taken), `INSUFFICIENT_INVENTORY`; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_reservation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The reservation id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The reservation */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Reservation"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_NOT_FOUND` (also someone else's) */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_reservation: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path: {
                /** @description The reservation id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled: the seats are released */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cancelled"];
                };
            };
            /** @description `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_NOT_FOUND` */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `CONFLICT`: already confirmed, cancelled or expired; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `FAILED_PRECONDITION` */
            412: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    cancel_reservation: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path: {
                /** @description The reservation id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled: the seats are released */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cancelled"];
                };
            };
            /** @description `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_NOT_FOUND` */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `CONFLICT`: already confirmed, cancelled or expired; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `FAILED_PRECONDITION` */
            412: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    confirm_reservation: {
        parameters: {
            query?: never;
            header: {
                /** @description A UUID. The same key with the same request replays the stored answer; with another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and user; a failed request releases it. */
                "Idempotency-Key": string;
            };
            path: {
                /** @description The reservation id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfirmReservation"];
            };
        };
        responses: {
            /** @description Sold: the order */
            200: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    /** @description `true` when this is the replay of an earlier answer */
                    "x-idempotency-cached"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Confirmed"];
                };
            };
            /** @description `MISSING_PAYMENT_INTENT_ID`, `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`; `IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID) */
            400: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_NOT_FOUND`, `PAYMENT_NOT_FOUND` */
            404: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_EXPIRED`, `CONFLICT`; `IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is still running (with `Retry-After`) */
            409: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYMENT_NOT_APPROVED`, `FAILED_PRECONDITION` */
            412: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend; `RATE_LIMITED`: over this client's request rate */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INTERNAL_ERROR`: the answer is too large to store for replay */
            500: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    /** @description Requests per second allowed to this client */
                    "X-RateLimit-Limit"?: string;
                    /** @description Requests left in the current burst */
                    "X-RateLimit-Remaining"?: string;
                    /** @description When the burst is full again (seconds since the Unix epoch) */
                    "X-RateLimit-Reset"?: string;
                    /** @description The limit's window, e.g. `1s` */
                    "X-RateLimit-Window"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    payment_webhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Signed with `X-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`; other fields are ignored */
        requestBody: {
            content: {
                "application/json": components["schemas"]["PaymentWebhook"];
            };
        };
        responses: {
            /** @description Taken (also a repeat of one already taken) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAnswer"];
                };
            };
            /** @description `INVALID_REQUEST`; `INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json` */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `INVALID_SIGNATURE`, `STALE_WEBHOOK` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RESERVATION_NOT_FOUND`, `PAYMENT_NOT_FOUND` */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `REQUEST_TIMEOUT`: the body did not arrive in time */
            408: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYMENT_RESERVATION_MISMATCH`, `CONFLICT` */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `FAILED_PRECONDITION` */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` by a backend */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_ERROR`: a backend failed */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `STORE_UNAVAILABLE`: the queue store is unreachable; `UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open */
            503: {
                headers: {
                    /** @description Seconds to wait before retrying */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPSTREAM_TIMEOUT`: a backend did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process answers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Prometheus text format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain; version=0.0.4; charset=utf-8": string;
                };
            };
            /** @description `USHER_METRICS_TOKEN` is set and was not given: `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN` */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Serving */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Draining, at the WebSocket cap, or the store has been unreachable for longer than `USHER_READY_OUTAGE_SECS` (`reason` says which) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    version: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The build */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Version"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    queue_socket_at_root: {
        parameters: {
            query: {
                /** @description The waiting token the join answered. */
                token: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching to the WebSocket protocol */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `INVALID_REQUEST`: a malformed query string */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES` */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `UPGRADE_REQUIRED`: not a WebSocket upgrade */
            426: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `RATE_LIMITED` (upgrades from this address), `TOO_MANY_CONNECTIONS` (open sockets from this address) */
            429: {
                headers: {
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description `HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES` */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
