//! The journal: one entry per transfer created, each with both accounts' balances before
//! and after, chained by SHA-256 for tamper evidence.

use crate::account::Normal;
use crate::{Id, Transfer, Unit};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash before the first entry: 32 zero bytes.
pub const GENESIS: [u8; 32] = [0; 32];

/// One account's side of an entry. Balances are the posted balance on the account's normal
/// side (credits − debits for a credit-normal account), in minor units; `available_after`
/// subtracts pending outflows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    /// The account.
    pub account_id: Id,
    /// Its normal side.
    pub normal: Normal,
    /// Posted balance before the transfer (equal to the `balance_after` of the account's
    /// previous entry: the chain).
    #[serde(with = "signed_string")]
    pub balance_before: i128,
    /// Posted balance after it.
    #[serde(with = "signed_string")]
    pub balance_after: i128,
    /// Posted balance less pending outflows, after it.
    #[serde(with = "signed_string")]
    pub available_after: i128,
    /// The account's version after it.
    pub version: u64,
}

impl Side {
    /// No account (id 0), zero balances.
    pub(crate) const ZERO: Side = Side {
        account_id: Id::NONE,
        normal: Normal::Credit,
        balance_before: 0,
        balance_after: 0,
        available_after: 0,
        version: 0,
    };
}

/// A journal entry: the transfer as created (a post or void with its accounts, unit and
/// code resolved from the pending transfer; `amount` what moved or was released), both
/// sides, and the hash chain.
///
/// One JSON object per line in a stored journal (JSON Lines); every integer that can pass
/// 2⁵³ is a string of digits (minor units for balances).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// 1, 2, 3 … without gaps.
    pub seq: u64,
    /// The transfer.
    pub transfer: Transfer,
    /// The debit account's side.
    pub debit: Side,
    /// The credit account's side.
    pub credit: Side,
    /// The previous entry's hash (lowercase hex; 64 zeros before the first).
    #[serde(with = "hex_32")]
    pub prev_hash: [u8; 32],
    /// SHA-256 of [`Entry::canonical_bytes`] (lowercase hex).
    #[serde(with = "hex_32")]
    pub hash: [u8; 32],
}

impl Entry {
    /// The bytes hashed, in this order, little-endian, each field fixed-width unless said:
    /// `seq` u64; transfer `id`, `debit_account_id`, `credit_account_id`, `amount`,
    /// `pending_id` u128; `unit` as its text (u8 length + bytes); `code` u16 (0 none);
    /// flag bits u16; `at` as Unix seconds i64 and nanoseconds u32; `reference` (u16
    /// length, then its UTF-8 bytes); each side (debit then credit): `account_id` u128, normal u8 (0
    /// credit, 1 debit), `balance_before`, `balance_after`, `available_after` i128,
    /// `version` u64; then `prev_hash` (32 bytes).
    pub fn canonical_bytes(&self, out: &mut Vec<u8>) {
        let t = &self.transfer;
        out.clear();
        out.extend_from_slice(&self.seq.to_le_bytes());
        for v in [
            t.id.0,
            t.debit_account_id.0,
            t.credit_account_id.0,
            t.amount,
            t.pending_id.0,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        unit_bytes(t.unit, out);
        out.extend_from_slice(&t.code.map_or(0u16, |c| c as u16).to_le_bytes());
        out.extend_from_slice(&t.flags.bits().to_le_bytes());
        out.extend_from_slice(&t.at.timestamp().to_le_bytes());
        out.extend_from_slice(&t.at.timestamp_subsec_nanos().to_le_bytes());
        let r = t.reference.as_bytes();
        let n = u16::try_from(r.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(r.get(..usize::from(n)).unwrap_or(r));
        for s in [&self.debit, &self.credit] {
            out.extend_from_slice(&s.account_id.0.to_le_bytes());
            out.push(u8::from(s.normal == Normal::Debit));
            for v in [s.balance_before, s.balance_after, s.available_after] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&s.version.to_le_bytes());
        }
        out.extend_from_slice(&self.prev_hash);
    }

    /// An empty entry (zeros, the Unix epoch): fills reserved memory.
    pub(crate) fn placeholder() -> Entry {
        let side = Side::ZERO;
        Entry {
            seq: 0,
            transfer: Transfer {
                id: Id::NONE,
                debit_account_id: Id::NONE,
                credit_account_id: Id::NONE,
                amount: 0,
                pending_id: Id::NONE,
                unit: None,
                code: None,
                reference: String::new(),
                at: chrono::DateTime::UNIX_EPOCH,
                flags: crate::TransferFlags::default(),
            },
            debit: side,
            credit: side,
            prev_hash: GENESIS,
            hash: GENESIS,
        }
    }

    /// SHA-256 of the canonical bytes (using `scratch` as the buffer).
    pub fn compute_hash(&self, scratch: &mut Vec<u8>) -> [u8; 32] {
        self.canonical_bytes(scratch);
        Sha256::digest(scratch.as_slice()).into()
    }

    /// The entry as one JSON line (no newline).
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The entry `seq` of a run of entries numbered without gaps.
pub(crate) fn find(entries: &[Entry], seq: u64) -> Option<&Entry> {
    let first = entries.first()?.seq;
    let index = usize::try_from(seq.checked_sub(first)?).ok()?;
    entries.get(index).filter(|e| e.seq == seq)
}

fn unit_bytes(unit: Option<Unit>, out: &mut Vec<u8>) {
    let mut buf = [0u8; 16];
    let text: &str = match unit {
        None => "",
        Some(Unit::Currency(c)) => c.code(),
        Some(Unit::Points { scale }) => {
            use std::io::Write;
            let mut cur = std::io::Cursor::new(&mut buf[..]);
            let _ = if scale == 0 {
                write!(cur, "POINTS")
            } else {
                write!(cur, "POINTS:{scale}")
            };
            let len = usize::try_from(cur.position()).unwrap_or(0);
            out.push(u8::try_from(len).unwrap_or(0));
            out.extend_from_slice(buf.get(..len).unwrap_or(&[]));
            return;
        }
    };
    out.push(u8::try_from(text.len()).unwrap_or(0));
    out.extend_from_slice(text.as_bytes());
}

/// Serde for an i128 as a string of digits.
pub(crate) mod signed_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse::<i128>()
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a whole number")))
    }
}

/// Serde for 32 bytes as lowercase hex.
pub(crate) mod hex_32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let mut out = [0u8; 32];
        hex::decode_to_slice(text.as_bytes(), &mut out)
            .map_err(|_| serde::de::Error::custom("expected 64 hex digits"))?;
        Ok(out)
    }
}
