//! Size limits on what a host sends the ledger: every list of every document a host can send
//! has a count limit, checked *while* the document is read (the element past the limit is
//! never built: the rest of the list is only counted, without keeping it), and every JSON
//! text the crate reads has a byte limit, checked on the text's length before it is parsed.
//! Past a limit the input is refused with [`LimitExceeded`] (code `LIMIT_EXCEEDED`) naming
//! the field, the limit and the count; nothing is changed.
//!
//! | document (Rust type) | list | limit |
//! |---|---|---|
//! | a batch (`TransferBatch`) | transfers | `BATCH_MAX` (8,190) |
//! | an account list (`AccountList`) | accounts | [`MAX_ACCOUNT_LIST`] (1,048,576) |
//! | a planner snapshot (`PlanInput`) | `accounts` | [`MAX_PLAN_ACCOUNTS`] (32,760) |
//! | | `transfers` | [`MAX_PLAN_TRANSFERS`] (16,380) |
//! | | `failed` | [`MAX_PLAN_FAILURES`] (8,190) |
//! | | `batch` | `BATCH_MAX` (8,190) |
//! | a stored points book (`PointsBook`) | `lots` | [`MAX_BOOK_LOTS`] (1,048,576) |
//! | | `redemptions` | [`MAX_BOOK_REDEMPTIONS`] (1,048,576) |
//! | | `clawbacks` | [`MAX_BOOK_CLAWBACKS`] (1,048,576) |
//! | | a record's `consumed` / `from_other_lots` | [`MAX_BOOK_LOTS`] |
//! | stored refund receipts (`Refunds`, `ReceiptList`) | receipts | [`MAX_REFUND_RECEIPTS`] (1,048,576) |
//! | a stored cashback record (`CashbackRecord`) | `history` | [`MAX_CASHBACK_HISTORY`] (16) |
//! | a journal (`audit::verify_jsonl`) | bytes, bytes of a line | `audit::MAX_JOURNAL_BYTES` (1 GiB), `audit::MAX_JOURNAL_LINE_BYTES` (8 KiB) |
//! | a snapshot (`Snapshot`, `Ledger::restore`) | `accounts`, `transfers` | `MAX_ACCOUNTS`, `snapshot::MAX_SNAPSHOT_TRANSFERS` (16,777,216) |
//!
//! The other documents (a transfer, an account, a points, cashback or refund request, a
//! webhook event or payment registration) hold no list: their size is that of their
//! strings, which the operations bound (128 characters for a reference, a webhook key, a
//! cashback actor or reason), and the binding's byte limit on the document's text. The
//! state the crate keeps has its own limits: `MAX_ACCOUNTS` accounts in a ledger,
//! `MAX_RESERVED` transfers reserved at once, `webhook::MAX_DEFERRED`
//! webhook events waiting, `webhook::MAX_SEEN_EVENTS` webhook event keys seen, and
//! the book and receipt limits above, which the operations that add to them also keep (a
//! book or a registry at its limit refuses the next lot, redemption, clawback or refund with
//! `LIMIT_EXCEEDED`), so that what the crate writes it can read back.
//!
//! A limit met while a serde deserializer reads a document is a serde error whose message
//! starts with [`LIMIT_ERROR_PREFIX`]; [`LimitExceeded::from_message`] reads the typed
//! error back from it (what a binding does to answer `LIMIT_EXCEEDED` with its values).

use serde::de::{Deserialize, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Serialize;
use std::fmt;
use std::marker::PhantomData;

/// Most accounts in one account list a host sends (`create_accounts`, the accounts of an
/// audit): 2²⁰ = 1,048,576. An account is 96 bytes in memory on a 64-bit host (and its
/// `code` and `owner`), so a full list takes some 100 MB; a host with more accounts sends
/// them in several lists (an audit of a larger ledger is made in Rust,
/// `audit::verify`).
pub const MAX_ACCOUNT_LIST: usize = 1 << 20;

/// Most account snapshots in a planner input: 4 × `BATCH_MAX` = 32,760 — each
/// transfer of a full batch names two accounts, and a post or void two more (its pending
/// transfer's); a snapshot never needs more.
pub const MAX_PLAN_ACCOUNTS: usize = 4 * crate::BATCH_MAX;

/// Most stored transfers in a planner input: 2 × `BATCH_MAX` = 16,380 — the
/// transfers under the batch's ids and its `pending_id`s.
pub const MAX_PLAN_TRANSFERS: usize = 2 * crate::BATCH_MAX;

/// Most stored sticky failures in a planner input: `BATCH_MAX` = 8,190 — one per
/// batch id.
pub const MAX_PLAN_FAILURES: usize = crate::BATCH_MAX;

/// Most lots in a points book: 2²⁰ = 1,048,576 (a lot is 256 bytes in memory on a 64-bit
/// host, some 300 with its slots in the book's indexes: about 320 MB for a full book). Also the most lots one redemption or clawback
/// record names (it cannot take from more lots than the book holds). `PointsBook::earn`
/// refuses a new lot past it.
pub const MAX_BOOK_LOTS: usize = 1 << 20;

/// Most redemptions in a points book: 2²⁰ = 1,048,576; `PointsBook::redeem`
/// refuses a new one past it.
pub const MAX_BOOK_REDEMPTIONS: usize = 1 << 20;

/// Most clawbacks in a points book: 2²⁰ = 1,048,576; `PointsBook::clawback`
/// refuses a new one past it.
pub const MAX_BOOK_CLAWBACKS: usize = 1 << 20;

/// Most refund receipts in a refunds registry and in a stored list of them: 2²⁰ =
/// 1,048,576 (a receipt is 128 bytes in memory on a 64-bit host, some 200 with its
/// indexes: about 210 MB for a full registry);
/// `Refunds::refund` refuses a new refund past it.
pub const MAX_REFUND_RECEIPTS: usize = 1 << 20;

/// Most transitions in a stored cashback record's `history`: 16. The state machine makes
/// at most five (book, complete, approve, credit, then cancel or claw back), so a longer
/// history was not written by it.
pub const MAX_CASHBACK_HISTORY: usize = 16;

/// How the message of a serde error made by a limit starts: `LIMIT_EXCEEDED: `.
pub const LIMIT_ERROR_PREFIX: &str = "LIMIT_EXCEEDED: ";

/// A limit passed: `field` holds (or would hold) `actual` entries, more than `limit`.
///
/// JSON ([`LimitExceeded::to_value`]): `{"code": "LIMIT_EXCEEDED", "message": …, "field":
/// "lots", "limit": 1048576, "actual": 1048577}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("LIMIT_EXCEEDED: {field} has {actual} entries, more than the limit of {limit}")]
pub struct LimitExceeded {
    /// What was counted (`lots`, `accounts`, `transfers`, `deferred` …).
    pub field: String,
    /// The limit.
    pub limit: usize,
    /// The count given (or that adding one would make).
    pub actual: usize,
}

impl LimitExceeded {
    /// A limit passed by `field`.
    pub fn new(field: impl Into<String>, limit: usize, actual: usize) -> LimitExceeded {
        LimitExceeded {
            field: field.into(),
            limit,
            actual,
        }
    }

    /// The stable code: `LIMIT_EXCEEDED`.
    pub fn code(&self) -> &'static str {
        "LIMIT_EXCEEDED"
    }

    /// The error as JSON: `{"code", "message", "field", "limit", "actual"}`.
    pub fn to_value(&self) -> serde_json::Value {
        crate::error::json_of(self, self.code())
    }

    /// The limit named by the message of a serde error made while reading a document (it
    /// starts with [`LIMIT_ERROR_PREFIX`]; a position that serde appended, ` at line 1
    /// column 9`, is ignored); `None` for any other message.
    pub fn from_message(message: &str) -> Option<LimitExceeded> {
        let rest = message.strip_prefix(LIMIT_ERROR_PREFIX)?;
        let (head, tail) = rest.split_once(" entries, more than the limit of ")?;
        let (field, actual) = head.rsplit_once(" has ")?;
        let digits: &str = tail
            .find(|c: char| !c.is_ascii_digit())
            .map_or(tail, |end| tail.get(..end).unwrap_or(""));
        Some(LimitExceeded {
            field: field.to_owned(),
            limit: digits.parse().ok()?,
            actual: actual.parse().ok()?,
        })
    }
}

/// Reads a list of at most `limit` elements: the elements past the limit are counted
/// (read as [`IgnoredAny`], never built) and the list is refused with a
/// [`LimitExceeded`] message naming `field`. Use through a field's `deserialize_with`.
pub(crate) fn bounded_vec<'de, D, T>(
    d: D,
    field: &'static str,
    limit: usize,
) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    d.deserialize_seq(BoundedVec {
        field,
        limit,
        marker: PhantomData,
    })
}

struct BoundedVec<T> {
    field: &'static str,
    limit: usize,
    marker: PhantomData<fn() -> T>,
}

/// Elements reserved ahead of a list, at most: a size hint is the sender's word.
const RESERVE_AHEAD: usize = 1024;

impl<'de, T: Deserialize<'de>> Visitor<'de> for BoundedVec<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of at most {} {}", self.limit, self.field)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let ahead = seq
            .size_hint()
            .unwrap_or(0)
            .min(self.limit)
            .min(RESERVE_AHEAD);
        let mut out = Vec::with_capacity(ahead);
        while out.len() < self.limit {
            match seq.next_element()? {
                Some(x) => out.push(x),
                None => return Ok(out),
            }
        }
        // Full: one more element is one too many (the list is dropped, the rest counted).
        if seq.next_element::<IgnoredAny>()?.is_none() {
            return Ok(out);
        }
        drop(out);
        let mut actual = self.limit.saturating_add(1);
        while seq.next_element::<IgnoredAny>()?.is_some() {
            actual = actual.saturating_add(1);
        }
        Err(serde::de::Error::custom(LimitExceeded::new(
            self.field, self.limit, actual,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Doc {
        #[serde(deserialize_with = "three")]
        xs: Vec<u32>,
    }

    fn three<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        bounded_vec(d, "xs", 3)
    }

    #[test]
    fn a_list_within_its_limit_is_read_and_a_longer_one_refused_with_its_count() {
        let ok: Result<Doc, _> = serde_json::from_str(r#"{"xs": [1, 2, 3]}"#);
        assert_eq!(ok.map(|d| d.xs).ok(), Some(vec![1, 2, 3]));
        let empty: Result<Doc, _> = serde_json::from_str(r#"{"xs": []}"#);
        assert_eq!(empty.map(|d| d.xs).ok(), Some(vec![]));
        let long: Result<Doc, _> = serde_json::from_str(r#"{"xs": [1, 2, 3, 4, {"a": [5]}]}"#);
        let message = long.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.starts_with(LIMIT_ERROR_PREFIX), "{message}");
        assert_eq!(
            LimitExceeded::from_message(&message),
            Some(LimitExceeded::new("xs", 3, 5))
        );
        // Through a JSON value as well (what the Python binding builds).
        let value = serde_json::json!({"xs": [1, 2, 3, 4]});
        let message = serde_json::from_value::<Doc>(value)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            LimitExceeded::from_message(&message),
            Some(LimitExceeded::new("xs", 3, 4))
        );
    }

    #[test]
    fn the_error_reads_as_json_and_other_messages_are_not_limits() {
        let e = LimitExceeded::new("lots", MAX_BOOK_LOTS, MAX_BOOK_LOTS + 1);
        assert_eq!(
            e.to_value(),
            serde_json::json!({"code": "LIMIT_EXCEEDED", "message": e.to_string(),
                               "field": "lots", "limit": 1_048_576, "actual": 1_048_577})
        );
        assert_eq!(LimitExceeded::from_message(&e.to_string()), Some(e));
        assert_eq!(LimitExceeded::from_message("invalid amount \"x\""), None);
        assert_eq!(
            LimitExceeded::from_message("LIMIT_EXCEEDED: xs has many entries"),
            None
        );
    }

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn memory_sizes_behind_the_documented_figures() {
        // MAX_ACCOUNT_LIST: an account is 96 bytes (and its strings).
        assert!(std::mem::size_of::<crate::Account>() <= 96);
        // MAX_BOOK_LOTS: a lot is 256 bytes (and its slots in the book's indexes).
        assert!(std::mem::size_of::<crate::Lot>() <= 256);
    }

    proptest::proptest! {
        /// Any list of up to 40 elements against any limit up to 20: read whole when it
        /// fits, else refused with its exact length.
        #[test]
        fn a_list_is_read_iff_it_fits_and_refused_with_its_length(
            xs in proptest::collection::vec(0u32..1000, 0..40),
            limit in 0usize..20,
        ) {
            let text = serde_json::to_string(&xs).unwrap_or_default();
            let mut de = serde_json::Deserializer::from_str(&text);
            let read: Result<Vec<u32>, _> = bounded_vec(&mut de, "xs", limit);
            if xs.len() <= limit {
                proptest::prop_assert_eq!(read.ok(), Some(xs));
            } else {
                let message = read.err().map(|e| e.to_string()).unwrap_or_default();
                proptest::prop_assert_eq!(
                    LimitExceeded::from_message(&message),
                    Some(LimitExceeded::new("xs", limit, xs.len()))
                );
            }
        }
    }
}
