//! Stable fingerprints: of a rulebook's content, and of a quote (rulebook content,
//! canonical request, result), so that a server can check that the price a browser
//! previewed is the quote it is about to charge.
//!
//! Both are lowercase hex SHA-256 digests. A quote's fingerprint covers, in order: the
//! format tag `rihla-quote-v1`, the engine version, the rulebook's content fingerprint,
//! the request re-serialized canonically (fields in their declared order, amounts as
//! parsed), and the result's currency and `final_amount`. Same inputs ⇒ the same
//! fingerprint on every platform.

use sha2::{Digest, Sha256};
use std::fmt::Write;

fn hex(digest: &[u8]) -> String {
    let mut out = String::with_capacity(digest.len().saturating_mul(2));
    for b in digest {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// SHA-256 of a serializable value's canonical JSON (`None` only if it cannot be
/// serialized, which no rihla type does).
pub(crate) fn of_json<T: serde::Serialize>(value: &T) -> Option<String> {
    let bytes = serde_json::to_vec(value).ok()?;
    Some(hex(&Sha256::digest(&bytes)))
}

/// The fingerprint of a quote.
pub(crate) fn of_quote(
    rulebook: &str,
    request: &crate::QuoteRequest,
    currency: &str,
    final_amount: rihla_core::Decimal,
) -> String {
    let mut h = Sha256::new();
    h.update(b"rihla-quote-v1\n");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(b"\n");
    h.update(rulebook.as_bytes());
    h.update(b"\n");
    // Serializing a parsed request cannot fail; if it ever did, the digest still covers
    // the rest.
    if let Ok(bytes) = serde_json::to_vec(request) {
        h.update(&bytes);
    }
    h.update(b"\n");
    h.update(currency.as_bytes());
    h.update(b" ");
    h.update(final_amount.to_string().as_bytes());
    hex(&h.finalize())
}
