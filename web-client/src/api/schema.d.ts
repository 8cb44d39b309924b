// Generated from schema.json by `npm run gen:types`: do not edit. The schema comes from the
// Rust types (src/http/schema.rs); src/api/schema.test.ts fails when this file is stale.

export type paths = Record<string, never>;
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
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
        /** @description `POST /api/v1/reservations/{id}/cancel` → 200. */
        Cancelled: {
            cancelled_at: string | null;
            released_seats: components["schemas"]["Seat"][];
            reservation_id: string;
            status: string;
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
            /** Format: int32 */
            burst?: number | null;
            /** Format: int32 */
            entry_window_secs?: number | null;
            /** Format: int32 */
            max_active?: number | null;
            paused?: boolean | null;
            /** Format: double */
            rate_per_sec?: number | null;
        };
        /** @description `POST /api/v1/reservations/{id}/confirm`. */
        ConfirmReservation: {
            payment_intent_id?: string;
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
            /** Format: int64 */
            amount?: number;
            currency?: string | null;
            reservation_id?: string;
            /** @description approve, fail, delay, random or timeout (the simulator's scenarios). */
            scenario?: string | null;
        };
        /** @description `POST /api/v1/reservations`. */
        CreateReservation: {
            event_id?: string;
            /** Format: int32 */
            quantity?: number;
            /** @description What `POST /api/v1/queue/enter` handed out. */
            reservation_token?: string;
            seat_ids?: string[];
        };
        EnterBody: {
            waiting_token?: string | null;
        };
        /** @description The seed's error envelope, the body of every error answer. */
        ErrorBody: {
            error: components["schemas"]["ErrorDetail"];
        };
        ErrorDetail: {
            /** @description A stable code, e.g. `TOKEN_NOT_FOUND`. */
            code: string;
            message: string;
            /** @description The request's trace id (also in `X-Request-ID`). */
            trace_id: string;
        };
        /**
         * @description Admission settings of one event. An event exists once an operator created it (admin API) or
         *     the queue created it for an event the inventory knows (see [`crate::queue::EventDirectory`]);
         *     joins never create events.
         */
        EventConfig: {
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
             * Format: double
             * @description Token-bucket refill: admissions per second.
             */
            rate_per_sec: number;
        };
        /** @description The id of an on-sale event (one queue per event), e.g. `evt_2025_1001`. */
        EventId: string;
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
        ExpiredReason: "heartbeat_lost" | "entry_window_ended" | "place_lost";
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
            event_id?: string | null;
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
        /** @description `POST /api/v1/payment/process`. */
        ProcessPayment: {
            /** @description `approve` (the default) or `fail`. */
            action?: string | null;
            payment_intent_id?: string;
        };
        /** @description `POST /api/v1/payment/process` → 200. */
        Processed: {
            action: string;
            message: string;
            payment_intent_id: string;
            status: string;
            transaction_id: string;
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
            /** Format: double */
            confidence: number;
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
            /** @description usher's own, finer phase: `waiting`, `admitted` (may enter) or `entered`. */
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
            ready_for_entry: boolean;
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
        RegisterBody: {
            display_name?: string;
            email?: string;
            password: string;
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
        /**
         * @description What a webhook did to the reservation it pays for.
         * @enum {string}
         */
        Settlement: "confirmed" | "not_confirmed" | "failed";
        /** @description A `sold_out` message. */
        SoldOutNotice: {
            event_id: string;
            /** Format: int64 */
            remaining: number;
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
export type operations = Record<string, never>;
