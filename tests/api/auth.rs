//! Who may call the protected routes: accounts (register, login), the token attacks a gateway
//! must refuse, an identity provider's keys (a small JWKS server inside the test, with keys
//! rotated while usher runs), the development bypass tokens and the `Authorization` forms.
//!
//! The probe is `GET /api/v1/reservations/rsv_x`: a caller who gets past authentication reaches
//! the embedded reservation service and hears 404 `RESERVATION_NOT_FOUND`; one who does not
//! hears 401 in the seed's envelope.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use parking_lot::Mutex;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// `JWT_SECRET` of the servers under test.
const SECRET: &str = "auth-test-secret-0123456789";
const PROTECTED: &str = "/api/v1/reservations/rsv_x";
const EVENT: &str = "evt_2025_1001";
const PASSWORD: &str = "correct horse battery";

fn now_secs() -> u64 {
    now_ms() / 1_000
}

/// The claims of a user token for `sub`, valid for ten minutes.
fn claims(sub: &str) -> Value {
    json!({"sub": sub, "exp": now_secs() + 600})
}

fn hs256(claims: &Value, secret: &[u8], kid: Option<&str>) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(secret)).unwrap()
}

/// A user token signed with the servers' own secret.
fn genuine(claims: &Value) -> String {
    hs256(claims, SECRET.as_bytes(), None)
}

fn b64(json: &Value) -> String {
    URL_SAFE_NO_PAD.encode(json.to_string())
}

/// A signing key of a test identity provider, with what an attacker can learn of it.
struct TestKey {
    kid: String,
    alg: Algorithm,
    encoding: EncodingKey,
    /// The public key as the JWKS publishes it.
    jwk: Jwk,
    /// The public key in the PEM forms a confused verifier might use as an HMAC secret.
    public_pems: Vec<String>,
}

impl TestKey {
    /// A fresh P-256 key.
    fn es256(kid: &str) -> Self {
        use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
        let secret = p256::SecretKey::random(&mut rand_core::OsRng);
        let der = secret.to_pkcs8_der().unwrap();
        let pem = secret
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        Self::new(
            kid,
            Algorithm::ES256,
            EncodingKey::from_ec_der(der.as_bytes()),
            vec![pem],
        )
    }

    /// A fresh 2048-bit RSA key.
    fn rs256(kid: &str) -> Self {
        use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
        use rsa::pkcs8::{EncodePublicKey, LineEnding};
        let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
        let public = private.to_public_key();
        let pems = vec![
            public.to_public_key_pem(LineEnding::LF).unwrap(),
            public.to_pkcs1_pem(LineEnding::LF).unwrap(),
        ];
        let der = private.to_pkcs1_der().unwrap();
        Self::new(
            kid,
            Algorithm::RS256,
            EncodingKey::from_rsa_der(der.as_bytes()),
            pems,
        )
    }

    fn new(kid: &str, alg: Algorithm, encoding: EncodingKey, public_pems: Vec<String>) -> Self {
        let mut jwk = Jwk::from_encoding_key(&encoding, alg).unwrap();
        jwk.common.key_id = Some(kid.to_owned());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        Self {
            kid: kid.to_owned(),
            alg,
            encoding,
            jwk,
            public_pems,
        }
    }

    /// A token signed by this key, naming it by its key id.
    fn sign(&self, claims: &Value) -> String {
        self.sign_naming(&self.kid, claims)
    }

    /// A token signed by this key, naming the key id `kid` (not necessarily its own).
    fn sign_naming(&self, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(self.alg);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap()
    }

    /// Everything public about this key that could be mistaken for an HMAC secret.
    fn public_texts(&self) -> Vec<String> {
        let mut texts = self.public_pems.clone();
        texts.push(serde_json::to_string(&self.jwk).unwrap());
        texts
    }
}

/// What the test identity provider serves, and when it was asked.
#[derive(Clone, Default)]
struct Published {
    keys: Arc<Mutex<Vec<Jwk>>>,
    fetches: Arc<Mutex<Vec<Instant>>>,
}

async fn serve_jwks(
    axum::extract::State(p): axum::extract::State<Published>,
) -> axum::Json<JwkSet> {
    p.fetches.lock().push(Instant::now());
    axum::Json(JwkSet {
        keys: p.keys.lock().clone(),
    })
}

/// An identity provider's JWKS endpoint on 127.0.0.1:0, whose keys the test may change.
struct IdentityProvider {
    url: String,
    published: Published,
    server: tokio::task::JoinHandle<()>,
}

impl IdentityProvider {
    async fn start(keys: &[&TestKey]) -> Self {
        let published = Published::default();
        *published.keys.lock() = keys.iter().map(|k| k.jwk.clone()).collect();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/jwks", listener.local_addr().unwrap());
        let router = axum::Router::new()
            .route("/jwks", axum::routing::get(serve_jwks))
            .with_state(published.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Self {
            url,
            published,
            server,
        }
    }

    /// Adds `key` to the served set (a rotation at the provider).
    fn publish(&self, key: &TestKey) {
        self.published.keys.lock().push(key.jwk.clone());
    }

    /// When usher fetched the JWKS, in order.
    fn fetches(&self) -> Vec<Instant> {
        self.published.fetches.lock().clone()
    }
}

impl Drop for IdentityProvider {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Starts usher with the test secret, trusting `idp`'s keys.
async fn spawn_with_idp(idp: &IdentityProvider, extra: &[&str]) -> TestApp {
    let mut args = vec![
        "--jwt-secret",
        SECRET,
        "--jwt-jwks-endpoint",
        idp.url.as_str(),
    ];
    args.extend_from_slice(extra);
    spawn_app(&args).await
}

/// `GET` the protected probe with these headers.
async fn probe(app: &TestApp, headers: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut req = app.http.get(app.url(PROTECTED));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn probe_with(app: &TestApp, token: &str) -> (StatusCode, Value) {
    probe(app, &[("Authorization", &format!("Bearer {token}"))]).await
}

/// The caller got past authentication (and found no such reservation).
#[track_caller]
fn assert_let_in((status, body): (StatusCode, Value), what: &str) {
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("RESERVATION_NOT_FOUND")),
        "{what} should be let in: {body}"
    );
}

/// 401 with `code`, in the seed's envelope.
#[track_caller]
fn assert_refused((status, body): (StatusCode, Value), code: &str, what: &str) {
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    let error = &body["error"];
    assert_eq!(error["code"], code, "{what}: {body}");
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}: {body}"
    );
    assert!(
        error["trace_id"].as_str().is_some_and(|t| !t.is_empty()),
        "{what}: {body}"
    );
}

/// Polls until `token` is accepted (within 5 s): usher fetches the JWKS in the background.
async fn until_let_in(app: &TestApp, token: &str) {
    let deadline = Instant::now() + 5 * SECOND;
    loop {
        let answer = probe_with(app, token).await;
        if answer.0 == StatusCode::NOT_FOUND || Instant::now() > deadline {
            return assert_let_in(answer, "a token of a published key");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Registers a fresh account and returns its token.
async fn registered_token(app: &TestApp) -> String {
    let username = format!("user-{}", &idem_key()[..8]);
    let (status, body) = app
        .post(
            "/api/v1/auth/register",
            &json!({"username": username, "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["token"].as_str().unwrap().to_owned()
}

// ---------------------------------------------------------------------------------------------
// Accounts

#[tokio::test]
async fn a_buyer_registers_once_per_username_and_logs_in_to_a_working_token() {
    let app = spawn_app(&["--jwt-secret", SECRET]).await;
    let (status, reg) = app
        .post(
            "/api/v1/auth/register",
            &json!({"username": "Alice.Tester", "password": PASSWORD, "display_name": "Alice"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reg}");
    assert_eq!(reg["username"], "alice.tester", "usernames are lower-case");
    assert_eq!(reg["display_name"], "Alice");
    assert_eq!(reg["role"], "user");
    assert_eq!(reg["expires_in"], 86_400);
    let user_id = reg["user_id"].as_str().unwrap();
    assert!(user_id.starts_with("usr_"), "{reg}");
    assert_let_in(
        probe_with(&app, reg["token"].as_str().unwrap()).await,
        "the registration token",
    );

    for taken in ["alice.tester", "ALICE.TESTER", " Alice.Tester "] {
        let (status, body) = app
            .post(
                "/api/v1/auth/register",
                &json!({"username": taken, "password": "another password"}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("USERNAME_EXISTS")),
            "{taken:?}: {body}"
        );
    }

    let (status, login) = app
        .post(
            "/api/v1/auth/login",
            &json!({"username": "ALICE.tester", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{login}");
    assert_eq!(
        (login["user_id"].as_str(), login["username"].as_str()),
        (Some(user_id), Some("alice.tester"))
    );
    assert_eq!(login["expires_in"], 86_400);
    assert_let_in(
        probe_with(&app, login["token"].as_str().unwrap()).await,
        "the login token",
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_are_refused_alike() {
    let app = spawn_app(&[]).await;
    let (status, _) = app
        .post(
            "/api/v1/auth/register",
            &json!({"username": "bob", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let mut messages = Vec::new();
    for (username, password) in [
        ("bob", "wrong horse battery"),
        ("nobody", PASSWORD),
        ("x", PASSWORD),
    ] {
        let (status, body) = app
            .post(
                "/api/v1/auth/login",
                &json!({"username": username, "password": password}),
            )
            .await;
        assert_refused(
            (status, body.clone()),
            "INVALID_CREDENTIALS",
            &format!("login as {username:?}"),
        );
        messages.push(body["error"]["message"].clone());
    }
    assert!(
        messages.iter().all(|m| *m == messages[0]),
        "the answers tell which usernames exist: {messages:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Token attacks

#[tokio::test]
async fn tokens_without_a_valid_signature_are_refused() {
    let app = spawn_app(&["--jwt-secret", SECRET]).await;
    let alice = claims("alice");
    assert_let_in(probe_with(&app, &genuine(&alice)).await, "a genuine token");

    for alg in ["none", "None", "NONE"] {
        let unsigned = format!(
            "{}.{}.",
            b64(&json!({"alg": alg, "typ": "JWT"})),
            b64(&alice)
        );
        assert_refused(
            probe_with(&app, &unsigned).await,
            "INVALID_TOKEN",
            &format!("alg {alg}"),
        );
    }
    assert_refused(
        probe_with(&app, &hs256(&alice, b"not-the-server-secret", None)).await,
        "INVALID_TOKEN",
        "a wrong secret",
    );
    // Keep the signature, raise the privileges.
    let token = genuine(&json!({"sub": "alice", "role": "user", "exp": now_secs() + 600}));
    let [header, _, signature] = token.split('.').collect::<Vec<_>>()[..] else {
        panic!("a JWT has three parts");
    };
    let forged = json!({"sub": "alice", "role": "admin", "exp": now_secs() + 600});
    let tampered = format!("{header}.{}.{signature}", b64(&forged));
    assert_refused(
        probe_with(&app, &tampered).await,
        "INVALID_TOKEN",
        "a tampered payload",
    );
    assert_refused(
        probe_with(&app, &format!("{header}.{}.", b64(&forged))).await,
        "INVALID_TOKEN",
        "a stripped signature",
    );
}

#[tokio::test]
async fn expired_tokens_are_refused_beyond_the_five_second_leeway() {
    let app = spawn_app(&["--jwt-secret", SECRET]).await;
    let expired = genuine(&json!({"sub": "alice", "exp": now_secs() - 60}));
    assert_refused(
        probe_with(&app, &expired).await,
        "INVALID_TOKEN",
        "expired a minute ago",
    );
    // Clock skew between issuer and gateway is tolerated.
    let just_expired = genuine(&json!({"sub": "alice", "exp": now_secs() - 2}));
    assert_let_in(
        probe_with(&app, &just_expired).await,
        "expired two seconds ago",
    );
    let not_yet =
        genuine(&json!({"sub": "alice", "exp": now_secs() + 600, "nbf": now_secs() + 60}));
    assert_refused(
        probe_with(&app, &not_yet).await,
        "INVALID_TOKEN",
        "valid only in a minute",
    );
}

#[tokio::test]
async fn tokens_missing_exp_or_sub_are_refused() {
    let app = spawn_app(&["--jwt-secret", SECRET]).await;
    for (claims, what) in [
        (json!({"sub": "alice"}), "no exp"),
        (json!({"exp": now_secs() + 600}), "no sub"),
        (
            json!({"sub": "alice", "exp": "tomorrow"}),
            "a malformed exp",
        ),
    ] {
        assert_refused(
            probe_with(&app, &genuine(&claims)).await,
            "INVALID_TOKEN",
            what,
        );
    }
}

#[tokio::test]
async fn tokens_for_another_audience_are_refused_when_one_is_required() {
    let app = spawn_app(&["--jwt-secret", SECRET, "--jwt-audience", "usher-api"]).await;
    let with_aud =
        |aud: &Value| genuine(&json!({"sub": "alice", "exp": now_secs() + 600, "aud": aud}));
    // One audience or a list of them (RFC 7519 §4.1.3; identity providers issue both).
    for aud in [
        json!("usher-api"),
        json!(["https://id.example/userinfo", "usher-api"]),
    ] {
        assert_let_in(
            probe_with(&app, &with_aud(&aud)).await,
            &format!("aud {aud}"),
        );
    }
    for aud in [json!("other-api"), json!(["other-api"]), json!([])] {
        assert_refused(
            probe_with(&app, &with_aud(&aud)).await,
            "INVALID_TOKEN",
            &format!("aud {aud}"),
        );
    }
    assert_refused(
        probe_with(&app, &genuine(&claims("alice"))).await,
        "INVALID_TOKEN",
        "no aud at all",
    );
    assert_let_in(
        probe_with(&app, &registered_token(&app).await).await,
        "the gateway's own token",
    );
}

#[tokio::test]
async fn tokens_from_another_issuer_are_refused_when_one_is_required() {
    let app = spawn_app(&["--jwt-secret", SECRET, "--jwt-issuer", "https://id.example"]).await;
    let with_iss =
        |iss: &str| genuine(&json!({"sub": "alice", "exp": now_secs() + 600, "iss": iss}));
    assert_let_in(
        probe_with(&app, &with_iss("https://id.example")).await,
        "the configured issuer",
    );
    assert_refused(
        probe_with(&app, &with_iss("https://evil.example")).await,
        "INVALID_TOKEN",
        "another issuer",
    );
    assert_refused(
        probe_with(&app, &genuine(&claims("alice"))).await,
        "INVALID_TOKEN",
        "no iss at all",
    );
    assert_let_in(
        probe_with(&app, &registered_token(&app).await).await,
        "the gateway's own token",
    );
}

#[tokio::test]
async fn public_keys_from_the_jwks_are_never_hmac_secrets() {
    let (rsa, ec) = (TestKey::rs256("rsa-1"), TestKey::es256("ec-1"));
    let idp = IdentityProvider::start(&[&rsa, &ec]).await;
    let app = spawn_with_idp(&idp, &[]).await;
    let alice = claims("alice");
    until_let_in(&app, &rsa.sign(&alice)).await;

    for key in [&rsa, &ec] {
        for text in key.public_texts() {
            for kid in [Some(key.kid.as_str()), None] {
                assert_refused(
                    probe_with(&app, &hs256(&alice, text.as_bytes(), kid)).await,
                    "INVALID_TOKEN",
                    &format!("HS256 keyed with {}'s public key, kid {kid:?}", key.kid),
                );
            }
        }
    }
    // A key id sends a token to the JWKS, where HS256 has no place, even with the right secret.
    assert_refused(
        probe_with(&app, &hs256(&alice, SECRET.as_bytes(), Some("rsa-1"))).await,
        "INVALID_TOKEN",
        "HS256 with a key id",
    );
}

#[tokio::test]
async fn tokens_signed_by_keys_outside_the_jwks_are_refused() {
    let (published, ec) = (TestKey::rs256("rsa-1"), TestKey::es256("ec-1"));
    let outsider = TestKey::rs256("rsa-outsider");
    let idp = IdentityProvider::start(&[&published, &ec]).await;
    let app = spawn_with_idp(&idp, &[]).await;
    let alice = claims("alice");
    until_let_in(&app, &published.sign(&alice)).await;

    let refused = [
        (
            outsider.sign_naming("rsa-1", &alice),
            "an outside key under a published key id",
        ),
        (outsider.sign(&alice), "an outside key under its own key id"),
        (
            ec.sign_naming("rsa-1", &alice),
            "an EC signature under an RSA key id",
        ),
        (
            published.sign_naming("ec-1", &alice),
            "an RSA signature under an EC key id",
        ),
    ];
    for (token, what) in refused {
        assert_refused(probe_with(&app, &token).await, "INVALID_TOKEN", what);
    }
    // Without a key id a token can only be HS256 with the gateway's secret.
    let no_kid =
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &alice, &published.encoding).unwrap();
    assert_refused(
        probe_with(&app, &no_kid).await,
        "INVALID_TOKEN",
        "RS256 without a key id",
    );
}

// ---------------------------------------------------------------------------------------------
// An identity provider's keys

#[tokio::test]
async fn tokens_signed_by_each_jwks_key_are_accepted_as_their_subject() {
    let (ec, rsa) = (TestKey::es256("ec-1"), TestKey::rs256("rsa-1"));
    let idp = IdentityProvider::start(&[&ec, &rsa]).await;
    let app = spawn_with_idp(&idp, &[]).await;
    let alice = ec.sign(&claims("idp|alice"));
    let bob = rsa.sign(&claims("idp|bob"));
    until_let_in(&app, &alice).await;
    assert_let_in(probe_with(&app, &bob).await, "an RS256 token");

    // The user is the subject: alice's reservation is hers, and not bob's.
    for (bearer, sub) in [(&alice, "idp|alice"), (&bob, "idp|bob")] {
        let rt = app.admitted(EVENT).await.1;
        let (status, r) = app
            .call_as(
                bearer,
                reqwest::Method::POST,
                "/api/v1/reservations",
                Some(&json!({"event_id": EVENT, "quantity": 1, "reservation_token": rt})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
        assert_eq!(r["user_id"], sub);
        let path = format!(
            "/api/v1/reservations/{}",
            r["reservation_id"].as_str().unwrap()
        );
        let (status, mine) = app.call_as(bearer, reqwest::Method::GET, &path, None).await;
        assert_eq!(
            (status, mine["user_id"].as_str()),
            (StatusCode::OK, Some(sub))
        );
        let other = if sub == "idp|alice" { &bob } else { &alice };
        let (status, _) = app.call_as(other, reqwest::Method::GET, &path, None).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "another subject sees {sub}'s reservation"
        );
    }
}

/// usher refetches the JWKS for an unknown key id at most every `MIN_REFETCH` (30 s), counting
/// from its last fetch of any kind, and the fetch at start is one. So the first refetch an
/// unknown key id can cause is 30 s after start: this test waits for it.
#[tokio::test]
async fn a_key_rotated_in_later_is_fetched_when_a_token_first_names_it() {
    let ec = TestKey::es256("ec-1");
    let idp = IdentityProvider::start(&[&ec]).await;
    let app = spawn_with_idp(&idp, &[]).await;
    until_let_in(&app, &ec.sign(&claims("alice"))).await;
    let started = idp.fetches()[0];

    let rotated = TestKey::rs256("rsa-rotated");
    idp.publish(&rotated);
    let token = rotated.sign(&claims("bob"));
    // Within 30 s of the last fetch, an unknown key id does not reach the provider: forged key
    // ids cannot hammer it.
    assert_refused(
        probe_with(&app, &token).await,
        "INVALID_TOKEN",
        "a key id named within 30 s of the last fetch",
    );
    assert_eq!(idp.fetches().len(), 1);

    let wait = (started + usher::auth::jwks::MIN_REFETCH + Duration::from_millis(500))
        .saturating_duration_since(Instant::now());
    tokio::time::sleep(wait).await;
    assert_let_in(probe_with(&app, &token).await, "the rotated key's token");
    assert_eq!(idp.fetches().len(), 2, "one refetch for the new key id");
    assert_refused(
        probe_with(&app, &TestKey::es256("forged").sign(&claims("eve"))).await,
        "INVALID_TOKEN",
        "a forged key id right after a refetch",
    );
    assert_eq!(idp.fetches().len(), 2, "no refetch within 30 s of the last");
}

#[tokio::test]
async fn a_key_rotated_in_later_is_picked_up_by_the_scheduled_refresh() {
    let ec = TestKey::es256("ec-1");
    let idp = IdentityProvider::start(&[&ec]).await;
    let app = spawn_with_idp(&idp, &["--jwt-cache-ttl", "1s"]).await;
    until_let_in(&app, &ec.sign(&claims("alice"))).await;
    let rotated = TestKey::es256("ec-2");
    idp.publish(&rotated);
    until_let_in(&app, &rotated.sign(&claims("bob"))).await;
}

// ---------------------------------------------------------------------------------------------
// Bypass tokens and header forms

#[tokio::test]
async fn the_dev_bypass_token_works_only_in_development_when_enabled_and_with_its_header() {
    let bypass = [
        ("Authorization", "Bearer dev-super-key-local-testing"),
        ("X-Dev-Mode", "true"),
    ];
    let by_default = spawn_app(&[]).await;
    assert_refused(
        probe(&by_default, &bypass).await,
        "INVALID_TOKEN",
        "the bypass in development without USHER_ALLOW_BYPASS_TOKENS",
    );
    let development = spawn_app(&["--allow-bypass-tokens", "true"]).await;
    assert_let_in(
        probe(&development, &bypass).await,
        "the bypass in development",
    );
    assert_refused(
        probe(&development, &bypass[..1]).await,
        "INVALID_TOKEN",
        "the bypass token without X-Dev-Mode",
    );
    assert_refused(
        probe(&development, &[bypass[0], ("X-Dev-Mode", "yes")]).await,
        "INVALID_TOKEN",
        "the bypass token with X-Dev-Mode: yes",
    );
    let secret = "a-staging-secret-of-at-least-32-bytes";
    let staging = spawn_app(&[
        "--environment",
        "staging",
        "--jwt-secret",
        secret,
        "--webhook-secret",
        secret,
        "--allow-payment-simulator",
        "true",
    ])
    .await;
    assert_refused(
        probe(&staging, &bypass).await,
        "INVALID_TOKEN",
        "the bypass in staging",
    );
}

#[tokio::test]
async fn malformed_authorization_headers_get_their_own_codes() {
    let app = spawn_app(&[]).await;
    assert_refused(probe(&app, &[]).await, "MISSING_AUTHORIZATION", "no header");
    assert_refused(
        probe(&app, &[("Authorization", "Token abc")]).await,
        "INVALID_TOKEN_FORMAT",
        "another scheme",
    );
    assert_refused(
        probe(&app, &[("Authorization", "Bearer ")]).await,
        "MISSING_TOKEN",
        "an empty bearer token",
    );
}

// ---------------------------------------------------------------------------------------------
// The gateway's own keys

#[tokio::test]
async fn the_well_known_jwks_publishes_one_public_p256_key_that_verifies_reservation_tokens() {
    let app = spawn_app(&[]).await;
    let (status, jwks) = app.get("/.well-known/jwks.json").await;
    assert_eq!(status, StatusCode::OK);
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "{jwks}");
    let key = &keys[0];
    assert_eq!(
        (&key["kty"], &key["crv"], &key["alg"], &key["use"]),
        (
            &json!("EC"),
            &json!("P-256"),
            &json!("ES256"),
            &json!("sig")
        ),
        "{key}"
    );
    let kid = key["kid"].as_str().unwrap();
    assert!(!kid.is_empty());
    assert!(
        key.get("d").is_none(),
        "the private key is published: {key}"
    );

    // A backend holding only this JWKS can verify what `enter` grants.
    let token = app.admitted(EVENT).await.1;
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(header.kid.as_deref(), Some(kid));
    let set: JwkSet = serde_json::from_value(jwks.clone()).unwrap();
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_audience(&["usher-reservations"]);
    let claims = jsonwebtoken::decode::<Value>(
        &token,
        &DecodingKey::from_jwk(set.find(kid).unwrap()).unwrap(),
        &validation,
    )
    .unwrap()
    .claims;
    assert_eq!(claims["event_id"], EVENT);
}
