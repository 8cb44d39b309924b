//! Black-box tests: a real server on port 0, real HTTP and WebSocket clients.

mod admin_and_ops;
mod admission;
mod auth;
mod bad_input;
mod helpers;
mod onsale;
mod operators;
mod purchase;
mod queue_rest;
mod rate_limit;
mod store_cost;
#[path = "../support/mod.rs"]
mod support;
mod websocket;
