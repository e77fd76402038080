//! JSON views of a batch's results, for hosts and the bindings.

use crate::{Id, Outcome, Transfer, TransferResult};
use serde::Serialize;

/// One transfer's result as JSON:
/// `{"id": "9001", "status": "CREATED", "seq": 12}`,
/// `{"id": "9001", "status": "EXISTS", "seq": 12}` or
/// `{"id": "9002", "status": "FAILED", "error": {"code": "EXCEEDS_CREDITS", …}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransferReport {
    /// The transfer's id.
    pub id: Id,
    /// CREATED, EXISTS or FAILED.
    pub status: &'static str,
    /// The journal entry's sequence number (the first one for EXISTS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// Why it failed: `{"code", "message", …values}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<serde_json::Value>,
}

/// The reports of a batch, in order.
pub fn reports(batch: &[Transfer], results: &[TransferResult]) -> Vec<TransferReport> {
    batch
        .iter()
        .zip(results)
        .map(|(t, r)| match r {
            Ok(Outcome::Created { seq }) => TransferReport {
                id: t.id,
                status: "CREATED",
                seq: Some(*seq),
                error: None,
            },
            Ok(Outcome::Exists { seq }) => TransferReport {
                id: t.id,
                status: "EXISTS",
                seq: Some(*seq),
                error: None,
            },
            Err(e) => TransferReport {
                id: t.id,
                status: "FAILED",
                seq: None,
                error: Some(e.to_value()),
            },
        })
        .collect()
}
