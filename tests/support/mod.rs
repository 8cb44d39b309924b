//! Test support shared by the integration test binaries: real Redis processes, real usher
//! processes and a WebSocket client.

#![allow(dead_code)] // each test binary uses part of this module

pub mod proxy;
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

/// A fresh directory under the system's temporary directory, removed when dropped.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
