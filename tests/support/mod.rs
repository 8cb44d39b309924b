//! Test support shared by the integration test binaries: real Redis processes, real usher
//! processes and a WebSocket client.

#![allow(dead_code)] // each test binary uses part of this module

pub mod redis;
pub mod usher;
pub mod ws;
