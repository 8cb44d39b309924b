//! Test support shared by the integration test binaries: real Redis processes, real usher
//! processes and a WebSocket client.

#![allow(dead_code)] // each test binary uses part of this module

pub mod redis;
pub mod usher;
pub mod ws;

/// A buyer's token, signed with the development secret test servers verify, as an identity
/// provider would issue it.
pub fn buyer_token(user: &str) -> String {
    let exp = ::usher::clock::now_ms() / 1_000 + 3_600;
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &serde_json::json!({"sub": user, "exp": exp}),
        &jsonwebtoken::EncodingKey::from_secret(::usher::config::DEV_JWT_SECRET.as_bytes()),
    )
    .unwrap()
}
