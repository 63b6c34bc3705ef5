//! X25519 through the browser's own WebCrypto, for opening thousands of statistics records:
//! BoringSSL's X25519 in Chromium is several times faster than the same scalar
//! multiplication in WebAssembly, and runs off the page's thread. Only the share (the
//! product of the statistics key and a record's ephemeral key) is computed here; the record
//! is opened by the domain crate
//! ([`beratta_core::statistics::open_record_with_share`]), which the native tests prove
//! opens exactly what [`beratta_core::statistics::open_record`] opens.
//!
//! A browser without X25519 in WebCrypto gets no [`Shares`], and a record whose share
//! WebCrypto refuses (an all-zero product) gets none: both are opened in WebAssembly
//! instead, so which path opened a record never changes what is counted.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beratta_core::envelope::{ephemeral_key, OrgSecretKey, KEY_LEN};
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

const ALGORITHM: &str = "X25519";

/// The statistics key imported into WebCrypto, not extractable, and the one callback that
/// turns an imported ephemeral key into its share.
pub struct Shares {
    subtle: SubtleCrypto,
    derive: Closure<dyn FnMut(JsValue) -> Result<Promise, JsError>>,
}

/// The shares of one batch of records, being computed.
pub struct Pending {
    settled: Promise,
    len: usize,
}

impl Shares {
    /// Imports `key`; `None` when this browser's WebCrypto has no X25519.
    pub async fn new(key: &OrgSecretKey) -> Option<Shares> {
        let subtle = web_sys::window()?.crypto().ok()?.subtle();
        let jwk = object(&[
            ("kty", "OKP".into()),
            ("crv", ALGORITHM.into()),
            ("d", URL_SAFE_NO_PAD.encode(key.to_bytes()).into()),
            ("x", URL_SAFE_NO_PAD.encode(key.public_key().as_bytes()).into()),
        ]);
        let usages = Array::of1(&"deriveBits".into());
        let algorithm = object(&[("name", ALGORITHM.into())]);
        let imported = subtle.import_key_with_object("jwk", &jwk, &algorithm, false, &usages).ok()?;
        let secret: CryptoKey = JsFuture::from(imported).await.ok()?.dyn_into().ok()?;
        let derive = {
            let subtle = subtle.clone();
            Closure::new(move |public: JsValue| {
                let params = object(&[("name", ALGORITHM.into()), ("public", public)]);
                subtle.derive_bits_with_object(&params, &secret, 256).map_err(|_| JsError::new("deriveBits"))
            })
        };
        Some(Shares { subtle, derive })
    }

    /// Starts computing the share of each sealed record: WebCrypto works on them, side by
    /// side and off the page's thread, while the caller goes on.
    pub fn start(&self, sealed: &[&[u8]]) -> Pending {
        let shares: Array = sealed
            .iter()
            .map(|record| match ephemeral_key(record) {
                Ok(public) => self
                    .subtle
                    .import_key_with_str("raw", &Uint8Array::from(&public[..]), ALGORITHM, true, &Array::new())
                    .map(|imported| imported.then_map(&self.derive).unchecked_into())
                    .unwrap_or_else(|e| Promise::reject(&e)),
                Err(_) => Promise::reject(&JsValue::NULL),
            })
            .collect();
        Pending { settled: Promise::all_settled(&shares), len: sealed.len() }
    }
}

impl Pending {
    /// The shares, in the order of the records; `None` for a record too short to hold an
    /// ephemeral key or one WebCrypto refused.
    pub async fn finish(self) -> Vec<Option<[u8; KEY_LEN]>> {
        let Ok(outcomes) = JsFuture::from(self.settled).await else {
            return vec![None; self.len];
        };
        Array::from(&outcomes).iter().map(|outcome| share(&outcome)).collect()
    }
}

/// The share in one outcome of `Promise.allSettled`, if it was fulfilled with 32 bytes.
fn share(outcome: &JsValue) -> Option<[u8; KEY_LEN]> {
    if Reflect::get(outcome, &"status".into()).ok()?.as_string()? != "fulfilled" {
        return None;
    }
    let bytes = Uint8Array::new(&Reflect::get(outcome, &"value".into()).ok()?);
    if bytes.length() as usize != KEY_LEN {
        return None;
    }
    let mut share = [0; KEY_LEN];
    bytes.copy_to(&mut share);
    Some(share)
}

/// A plain object of `fields`.
fn object(fields: &[(&str, JsValue)]) -> Object {
    let out = Object::new();
    for (name, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&out, &(*name).into(), value);
    }
    out
}
