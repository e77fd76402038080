//! A [`WebhookInbox`]'s state as one document, and the inbox rebuilt from it (to pickle it
//! or hand it to another process, as [`crate::Snapshot`] does for a ledger).
//!
//! JSON: `{"format": 1, "seen_limit", "payments": [PaymentState…], "seen": [{"event",
//! "outcome"}…], "deferred": [PaymentEvent…], "refunds": [RefundReceipt…]}` — the
//! registered payments with their status, every event seen with its outcome as it stands,
//! the deferred events in arrival order, and the refunds the events made. The inbox's
//! effects are in the ledger, which has its own snapshot: restore both.
//!
//! [`WebhookInbox::restore`] checks what the inbox itself would never hold — counts past
//! its limits, a key twice, a payment refunded past its capture or captured past its
//! registration, a deferred event that was not seen as deferred — and refuses it
//! ([`InboxSnapshotError`]); nothing else is trusted beyond what the types' own readers
//! check (registrations and events are read as when a host sends them).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::refund::{RefundReceipt, Refunds};
use crate::webhook::{
    PaymentEvent, PaymentState, Seen, WebhookInbox, WebhookOutcome, MAX_DEFERRED, MAX_SEEN_EVENTS,
};

/// The inbox snapshot format this build writes and reads.
pub const INBOX_SNAPSHOT_FORMAT: u32 = 1;

/// An inbox's state (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboxSnapshot {
    /// [`INBOX_SNAPSHOT_FORMAT`].
    pub format: u32,
    /// The most event keys the inbox records ([`WebhookInbox::seen_limit`]).
    pub seen_limit: usize,
    /// The registered payments, ordered by `(provider, payment_ref)`.
    pub payments: Vec<PaymentState>,
    /// Every event seen and its outcome as it stands, ordered by `(provider, event_id)`.
    pub seen: Vec<SeenEvent>,
    /// The deferred events, each payment's in arrival order.
    pub deferred: Vec<PaymentEvent>,
    /// The refunds `REFUNDED` events made.
    pub refunds: Vec<RefundReceipt>,
}

/// An event seen and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeenEvent {
    /// The event as received.
    pub event: PaymentEvent,
    /// Its outcome as it stands.
    pub outcome: WebhookOutcome,
}

/// Why an inbox snapshot is refused; nothing is built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InboxSnapshotError {
    /// A format this build does not read.
    #[error("inbox snapshot format {found}; this build reads format {expected}")]
    UnknownFormat {
        /// The snapshot's `format`.
        found: u32,
        /// [`INBOX_SNAPSHOT_FORMAT`].
        expected: u32,
    },
    /// A list past its limit.
    #[error("LIMIT_EXCEEDED: {field} has {actual} entries, more than the limit of {limit}")]
    LimitExceeded {
        /// `seen`, `payments`, `deferred`, `refunds` or `seen_limit`.
        field: &'static str,
        /// The limit.
        limit: usize,
        /// The count given.
        actual: usize,
    },
    /// A state the inbox never holds.
    #[error("inconsistent inbox snapshot at {field}: {reason}")]
    Inconsistent {
        /// Where (`payments[3]`, `seen[0]`, `deferred[2]`).
        field: String,
        /// What is wrong.
        reason: &'static str,
    },
}

impl InboxSnapshotError {
    /// The stable code: `UNKNOWN_FORMAT`, `LIMIT_EXCEEDED` or `INCONSISTENT_SNAPSHOT`.
    pub fn code(&self) -> &'static str {
        match self {
            InboxSnapshotError::UnknownFormat { .. } => "UNKNOWN_FORMAT",
            InboxSnapshotError::LimitExceeded { .. } => "LIMIT_EXCEEDED",
            InboxSnapshotError::Inconsistent { .. } => "INCONSISTENT_SNAPSHOT",
        }
    }
}

fn inconsistent(field: String, reason: &'static str) -> InboxSnapshotError {
    InboxSnapshotError::Inconsistent { field, reason }
}

impl WebhookInbox {
    /// The inbox's state as an [`InboxSnapshot`] (lists in a stable order).
    pub fn snapshot(&self) -> InboxSnapshot {
        let mut payments: Vec<&PaymentState> = self.payments.values().collect();
        payments.sort_by(|a, b| {
            let key = |p: &PaymentState| {
                (
                    p.registration.provider.clone(),
                    p.registration.payment_ref.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        let mut seen: Vec<(&(String, String), &Seen)> = self.seen.iter().collect();
        seen.sort_by(|a, b| a.0.cmp(b.0));
        let mut deferred_keys: Vec<&(String, String)> = self.deferred.keys().collect();
        deferred_keys.sort();
        InboxSnapshot {
            format: INBOX_SNAPSHOT_FORMAT,
            seen_limit: self.max_seen,
            payments: payments.into_iter().cloned().collect(),
            seen: seen
                .into_iter()
                .map(|(_, s)| SeenEvent {
                    event: s.event.clone(),
                    outcome: s.outcome.clone(),
                })
                .collect(),
            deferred: deferred_keys
                .into_iter()
                .filter_map(|k| self.deferred.get(k))
                .flatten()
                .cloned()
                .collect(),
            refunds: self.refunds.receipts().cloned().collect(),
        }
    }

    /// The inbox an [`InboxSnapshot`] describes.
    ///
    /// # Errors
    /// [`InboxSnapshotError`]: an unknown format, a list past its limit, or a state the
    /// inbox never holds (see the module docs).
    pub fn restore(snapshot: &InboxSnapshot) -> Result<WebhookInbox, InboxSnapshotError> {
        if snapshot.format != INBOX_SNAPSHOT_FORMAT {
            return Err(InboxSnapshotError::UnknownFormat {
                found: snapshot.format,
                expected: INBOX_SNAPSHOT_FORMAT,
            });
        }
        let seen_limit = snapshot.seen_limit.min(MAX_SEEN_EVENTS);
        for (field, limit, actual) in [
            ("seen_limit", MAX_SEEN_EVENTS, snapshot.seen_limit),
            ("seen", seen_limit, snapshot.seen.len()),
            ("payments", MAX_SEEN_EVENTS, snapshot.payments.len()),
            ("deferred", MAX_DEFERRED, snapshot.deferred.len()),
            (
                "refunds",
                crate::limits::MAX_REFUND_RECEIPTS,
                snapshot.refunds.len(),
            ),
        ] {
            if actual > limit {
                return Err(InboxSnapshotError::LimitExceeded {
                    field,
                    limit,
                    actual,
                });
            }
        }
        let mut inbox = WebhookInbox::with_seen_limit(seen_limit);
        for (i, p) in snapshot.payments.iter().enumerate() {
            let field = || format!("payments[{i}]");
            if p.refunded > p.captured {
                return Err(inconsistent(field(), "refunded past the capture"));
            }
            if p.captured > p.registration.amount {
                return Err(inconsistent(field(), "captured past the registered amount"));
            }
            let key = (
                p.registration.provider.clone(),
                p.registration.payment_ref.clone(),
            );
            if inbox.payments.insert(key, p.clone()).is_some() {
                return Err(inconsistent(field(), "a payment registered twice"));
            }
        }
        for (i, s) in snapshot.seen.iter().enumerate() {
            if matches!(s.outcome, WebhookOutcome::Duplicate { .. }) {
                return Err(inconsistent(
                    format!("seen[{i}]"),
                    "a first outcome DUPLICATE",
                ));
            }
            let key = (s.event.provider.clone(), s.event.event_id.clone());
            let seen = Seen {
                event: s.event.clone(),
                outcome: s.outcome.clone(),
            };
            if inbox.seen.insert(key, seen).is_some() {
                return Err(inconsistent(format!("seen[{i}]"), "an event seen twice"));
            }
        }
        let mut queued: FxHashMap<(String, String), ()> = FxHashMap::default();
        for (i, e) in snapshot.deferred.iter().enumerate() {
            let key = (e.provider.clone(), e.event_id.clone());
            if queued.insert(key.clone(), ()).is_some() {
                return Err(inconsistent(
                    format!("deferred[{i}]"),
                    "an event deferred twice",
                ));
            }
            let deferred_when_seen = inbox.seen.get(&key).is_some_and(|s| {
                s.event == *e && matches!(s.outcome, WebhookOutcome::Deferred { .. })
            });
            if !deferred_when_seen {
                return Err(inconsistent(
                    format!("deferred[{i}]"),
                    "an event deferred but not seen as DEFERRED",
                ));
            }
            inbox
                .deferred
                .entry((e.provider.clone(), e.payment_ref.clone()))
                .or_default()
                .push(e.clone());
        }
        let seen_deferred = inbox
            .seen
            .values()
            .filter(|s| matches!(s.outcome, WebhookOutcome::Deferred { .. }))
            .count();
        if seen_deferred != snapshot.deferred.len() {
            return Err(inconsistent(
                "deferred".to_owned(),
                "the events seen as DEFERRED are not the deferred events",
            ));
        }
        inbox.deferred_len = snapshot.deferred.len();
        inbox.refunds = Refunds::from_receipts(snapshot.refunds.iter().cloned());
        Ok(inbox)
    }
}
