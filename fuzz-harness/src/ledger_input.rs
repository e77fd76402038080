//! A ledger session built from fuzzer bytes ([`LedgerInput`]): accounts of several units
//! (currencies of every exponent, points of every scale), then batches of transfers —
//! single-phase, pending, posts and voids of earlier transfers, linked chains, balancing
//! flags, retries of earlier ids — reversals and closures. Amounts come from
//! [`crate::values::Amount`] (magnitudes up to and past the ledger's 10²⁸ − 1 minor units),
//! ids are mostly small so that transfers meet their accounts and earlier transfers.

use crate::values::{list, Amount, Instant, Text};
use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{json, Map, Value};

/// The units accounts and transfers use.
pub const UNITS: &[&str] = &[
    "SAR", "KWD", "JPY", "POINTS", "POINTS:2", "USD", "CLF", "POINTS:6", "POINTS:7", "XXX",
];

/// The transfer codes.
pub const CODES: &[&str] = &[
    "DEPOSIT",
    "WITHDRAWAL",
    "PAYMENT",
    "REFUND",
    "CASHBACK",
    "BONUS",
    "COMMISSION",
    "EARN",
    "REDEEM",
    "EXPIRE",
    "ADJUSTMENT",
    "REVERSAL",
];

/// An id as its JSON string: mostly small numbers, sometimes the reserved or extreme ones
/// or a UUID.
#[derive(Debug, Clone, PartialEq)]
pub struct IdText(pub String);

impl<'a> Arbitrary<'a> for IdText {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        const EDGES: &[&str] = &[
            "0",
            "340282366920938463463374607431768211455",
            "340282366920938463463374607431768211454",
            "340282366920938463463374607431768211456",
            "00000000000000000000000000000000000000001",
            "0x10",
            "-1",
            "",
            " 7 ",
            "1.0",
            "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
        ];
        Ok(IdText(match u.int_in_range(0u8..=15)? {
            0 => u.choose(EDGES)?.to_string(),
            1 => u.arbitrary::<u128>()?.to_string(),
            _ => u.int_in_range(1u8..=12)?.to_string(),
        }))
    }
}

/// One account to create.
#[derive(Debug, Clone, Arbitrary)]
pub struct AccountInput {
    /// Its id.
    pub id: IdText,
    /// Unit index.
    pub unit: u8,
    /// DEBIT-normal.
    pub debit_normal: bool,
    /// `must_not_go_negative`.
    pub must_not_go_negative: bool,
    /// `overdraft_limit`.
    pub overdraft_limit: Option<Amount>,
    /// `closed`.
    pub closed: bool,
    /// `code` and `owner`.
    pub labels: Option<(Text, Text)>,
}

/// One transfer.
#[derive(Debug, Clone)]
pub struct TransferInput {
    /// Its id (mostly small: retries and clashes happen).
    pub id: IdText,
    /// Debit and credit account ids.
    pub accounts: (IdText, IdText),
    /// The amount (absent on some posts and voids).
    pub amount: Option<Amount>,
    /// Unit index (absent on posts and voids: the pending transfer's).
    pub unit: Option<u8>,
    /// Code index.
    pub code: u8,
    /// The reference.
    pub reference: Option<Text>,
    /// `at`.
    pub at: Instant,
    /// Flag bits: linked 1, pending 2, post 4, void 8, balancing debit 16, credit 32.
    pub flags: u8,
    /// `pending_id` (posts and voids).
    pub pending_id: Option<IdText>,
}

impl<'a> Arbitrary<'a> for TransferInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let flags = match u.int_in_range(0u8..=7)? {
            0 => u.arbitrary()?,
            1 => 2,
            2 => 4,
            3 => 8,
            4 => 1,
            _ => 0,
        };
        let resolves = flags & 12 != 0;
        Ok(TransferInput {
            id: u.arbitrary()?,
            accounts: u.arbitrary()?,
            amount: if resolves && u.arbitrary()? {
                None
            } else {
                Some(u.arbitrary()?)
            },
            unit: if resolves && u.arbitrary()? {
                None
            } else {
                Some(u.arbitrary()?)
            },
            code: u.arbitrary()?,
            reference: u.arbitrary()?,
            at: u.arbitrary()?,
            flags,
            pending_id: if resolves || u.ratio(1u8, 16)? {
                Some(u.arbitrary()?)
            } else {
                None
            },
        })
    }
}

/// What a host does to a ledger, one call at a time.
#[derive(Debug, Clone, Arbitrary)]
pub enum LedgerOp {
    /// `apply(batch)`.
    Apply(Vec<TransferInput>),
    /// `create_accounts(accounts)` again, mid-session.
    CreateAccounts(Vec<AccountInput>),
    /// `reverse({transfer_ids, at, reason})`.
    Reverse(Vec<IdText>, Instant, Option<Text>),
    /// `close_account(id)`.
    Close(IdText),
}

/// A whole session.
#[derive(Debug, Clone)]
pub struct LedgerInput {
    /// The accounts created first.
    pub accounts: Vec<AccountInput>,
    /// Then these calls, in order.
    pub ops: Vec<LedgerOp>,
}

impl<'a> Arbitrary<'a> for LedgerInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(LedgerInput {
            accounts: list(u, 8)?,
            ops: list(u, 8)?,
        })
    }
}

fn pick(options: &[&'static str], i: u8) -> &'static str {
    options
        .get(usize::from(i) % options.len().max(1))
        .copied()
        .unwrap_or("")
}

impl AccountInput {
    /// The account as JSON.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id.0));
        m.insert("unit".into(), json!(pick(UNITS, self.unit)));
        if self.debit_normal {
            m.insert("normal".into(), json!("DEBIT"));
        }
        if self.must_not_go_negative {
            m.insert("must_not_go_negative".into(), json!(true));
        }
        if let Some(o) = &self.overdraft_limit {
            m.insert("overdraft_limit".into(), json!(o.0));
        }
        if self.closed {
            m.insert("closed".into(), json!(true));
        }
        if let Some((code, owner)) = &self.labels {
            m.insert("code".into(), json!(code.0));
            m.insert("owner".into(), json!(owner.0));
        }
        Value::Object(m)
    }
}

impl TransferInput {
    /// The transfer as JSON.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id.0));
        let resolves = self.flags & 12 != 0;
        if !resolves || self.unit.is_some() {
            m.insert("debit_account_id".into(), json!(self.accounts.0 .0));
            m.insert("credit_account_id".into(), json!(self.accounts.1 .0));
            m.insert("code".into(), json!(pick(CODES, self.code)));
        }
        match (&self.amount, self.unit) {
            (Some(a), Some(_)) => {
                m.insert("amount".into(), json!(a.0));
            }
            (Some(a), None) => {
                // Without a unit, a post gives its amount in minor units.
                let digits: String = a.0.chars().filter(char::is_ascii_digit).collect();
                m.insert("amount_units".into(), json!(digits));
            }
            _ => {}
        }
        if let Some(unit) = self.unit {
            m.insert("unit".into(), json!(pick(UNITS, unit)));
        }
        if let Some(r) = &self.reference {
            m.insert("reference".into(), json!(r.0));
        }
        m.insert("at".into(), json!(self.at.0));
        if let Some(p) = &self.pending_id {
            m.insert("pending_id".into(), json!(p.0));
        }
        let names = [
            "linked",
            "pending",
            "post_pending",
            "void_pending",
            "balancing_debit",
            "balancing_credit",
        ];
        let mut flags = Map::new();
        for (bit, name) in names.iter().enumerate() {
            if self.flags & (1 << bit) != 0 {
                flags.insert((*name).into(), json!(true));
            }
        }
        if !flags.is_empty() {
            m.insert("flags".into(), Value::Object(flags));
        }
        Value::Object(m)
    }
}
