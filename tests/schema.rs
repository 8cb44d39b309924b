//! The web client's schema document (`web-client/src/api/schema.json`) is the one the Rust
//! types produce. `USHER_BLESS=1 cargo test --test schema` rewrites it; then
//! `npm --prefix web-client run gen:types` regenerates the TypeScript types from it (the web
//! client's tests check those in turn).

use std::path::Path;

#[test]
fn the_committed_schema_is_the_one_the_rust_types_produce() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("web-client/src/api/schema.json");
    let generated = usher::http::schema::document();
    if std::env::var_os("USHER_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `USHER_BLESS=1 cargo test --test schema`, then \
         `npm --prefix web-client run gen:types`",
        path.display()
    );
}
