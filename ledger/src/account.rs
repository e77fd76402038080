//! Accounts and their balances.

use crate::{Id, Unit};
use serde::{Deserialize, Serialize};

/// Which side increases an account's balance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Normal {
    /// Credits increase it: what the platform owes (a customer's wallet, points balance,
    /// pending cashback), revenue. The default.
    #[default]
    Credit,
    /// Debits increase it: what the platform holds or is owed (its bank, the payment
    /// provider's clearing account), expenses.
    Debit,
}

/// An account of the ledger.
///
/// ```json
/// {"id": "1001", "unit": "SAR", "normal": "CREDIT", "must_not_go_negative": true,
///  "overdraft_limit": "0.00", "code": "WALLET", "owner": "CUST-10442"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AccountWire", into = "AccountWire")]
pub struct Account {
    /// The account's id (not 0, not 2¹²⁸ − 1).
    pub id: Id,
    /// What it counts.
    pub unit: Unit,
    /// CREDIT (default) or DEBIT.
    pub normal: Normal,
    /// Its balance less pending outflows never goes below `−overdraft_limit` (a wallet,
    /// a points balance). TigerBeetle's `debits_must_not_exceed_credits` for a
    /// credit-normal account, `credits_must_not_exceed_debits` for a debit-normal one.
    pub must_not_go_negative: bool,
    /// How far below zero a `must_not_go_negative` account may go, in the unit's integer
    /// (minor units; JSON: a decimal string at the unit's scale). Default 0.
    pub overdraft_limit: u128,
    /// A closed account takes no new transfer (a pending transfer on it may still be
    /// posted or voided).
    pub closed: bool,
    /// The host's kind of account (`WALLET`, `POINTS`, `CASHBACK_PENDING`, `BANK` …; at
    /// most 64 characters).
    pub code: String,
    /// The host's owner id (a customer, an operator; at most 128 characters).
    pub owner: String,
}

impl Account {
    /// A credit-normal account (a wallet) that may go negative, with no code or owner.
    pub fn new(id: impl Into<Id>, unit: Unit) -> Account {
        Account {
            id: id.into(),
            unit,
            normal: Normal::Credit,
            must_not_go_negative: false,
            overdraft_limit: 0,
            closed: false,
            code: String::new(),
            owner: String::new(),
        }
    }

    /// The same account, refusing to go below zero (less `overdraft_limit`).
    pub fn must_not_go_negative(mut self) -> Account {
        self.must_not_go_negative = true;
        self
    }

    /// The same account, debit-normal.
    pub fn debit_normal(mut self) -> Account {
        self.normal = Normal::Debit;
        self
    }
}

/// The JSON form of [`Account`] (amounts as decimal strings at the unit's scale).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountWire {
    id: Id,
    unit: Unit,
    #[serde(default)]
    normal: Normal,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    must_not_go_negative: bool,
    #[serde(
        default,
        with = "rihla_core::decimal_string::option",
        skip_serializing_if = "Option::is_none"
    )]
    overdraft_limit: Option<rihla_core::Decimal>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    closed: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    owner: String,
}

impl TryFrom<AccountWire> for Account {
    type Error = String;
    fn try_from(w: AccountWire) -> Result<Self, String> {
        let overdraft_limit = match w.overdraft_limit {
            None => 0,
            Some(d) => crate::amount::to_units(w.unit, d, "overdraft_limit", true)?,
        };
        Ok(Account {
            id: w.id,
            unit: w.unit,
            normal: w.normal,
            must_not_go_negative: w.must_not_go_negative,
            overdraft_limit,
            closed: w.closed,
            code: w.code,
            owner: w.owner,
        })
    }
}

impl From<Account> for AccountWire {
    fn from(a: Account) -> Self {
        AccountWire {
            id: a.id,
            unit: a.unit,
            normal: a.normal,
            must_not_go_negative: a.must_not_go_negative,
            overdraft_limit: (a.overdraft_limit > 0)
                .then(|| crate::amount::to_decimal(a.unit, a.overdraft_limit)),
            closed: a.closed,
            code: a.code,
            owner: a.owner,
        }
    }
}

/// An account's balances, in the unit's integer (minor units), as TigerBeetle keeps them.
/// JSON: integers as decimal strings of minor units (`"15050"` for SAR 150.50).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Balances {
    /// Σ pending debits.
    #[serde(with = "crate::amount::units_string")]
    pub debits_pending: u128,
    /// Σ posted debits.
    #[serde(with = "crate::amount::units_string")]
    pub debits_posted: u128,
    /// Σ pending credits.
    #[serde(with = "crate::amount::units_string")]
    pub credits_pending: u128,
    /// Σ posted credits.
    #[serde(with = "crate::amount::units_string")]
    pub credits_posted: u128,
}

impl Balances {
    /// The posted balance on the account's normal side (credits − debits for a
    /// credit-normal account), signed.
    pub fn posted(&self, normal: Normal) -> i128 {
        let (plus, minus) = match normal {
            Normal::Credit => (self.credits_posted, self.debits_posted),
            Normal::Debit => (self.debits_posted, self.credits_posted),
        };
        signed(plus).saturating_sub(signed(minus))
    }

    /// What can still leave the account: the posted balance less pending outflows
    /// (pending inflows are not counted until posted). Saturates at the bounds of i128,
    /// which only balances no ledger keeps reach (hand-made ones past 2¹²⁶).
    pub fn available(&self, normal: Normal) -> i128 {
        let pending_out = match normal {
            Normal::Credit => self.debits_pending,
            Normal::Debit => self.credits_pending,
        };
        self.posted(normal).saturating_sub(signed(pending_out))
    }
}

/// A u128 as i128, saturating (balances are bounded far below 2¹²⁷ by the overflow
/// checks of every transfer).
fn signed(v: u128) -> i128 {
    i128::try_from(v).unwrap_or(i128::MAX)
}

/// An account with its balances and version, as the ledger holds it.
///
/// JSON: the account's fields, `balances` (minor units as digit strings), `version`, and
/// for reading `balance` (posted, on the normal side) and `available` (less pending
/// outflows) as decimal strings at the unit's scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    /// The account.
    pub account: Account,
    /// Its balances.
    pub balances: Balances,
    /// Incremented by every transfer that changes its balances (optimistic concurrency:
    /// the planner's expected version).
    pub version: u64,
}

impl AccountState {
    /// How much more this account can be debited, minor units: for a `must_not_go_negative`
    /// credit-normal account, posted credits + overdraft limit − posted and pending debits;
    /// `None` when its debit side has no limit.
    pub fn debit_room(&self) -> Option<u128> {
        self.room(Normal::Credit)
    }

    /// How much more this account can be credited, minor units: the mirror of
    /// [`AccountState::debit_room`] for a `must_not_go_negative` debit-normal account.
    pub fn credit_room(&self) -> Option<u128> {
        self.room(Normal::Debit)
    }

    /// The room on the side opposite `normal`, when the account is limited and `normal`.
    fn room(&self, normal: Normal) -> Option<u128> {
        let a = &self.account;
        (a.must_not_go_negative && a.normal == normal).then(|| {
            let b = &self.balances;
            let (grows, shrinks, pending) = match normal {
                Normal::Credit => (b.credits_posted, b.debits_posted, b.debits_pending),
                Normal::Debit => (b.debits_posted, b.credits_posted, b.credits_pending),
            };
            grows
                .saturating_add(a.overdraft_limit)
                .saturating_sub(shrinks.saturating_add(pending))
        })
    }
}

impl Serialize for AccountState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            #[serde(flatten)]
            account: &'a Account,
            balances: &'a Balances,
            version: u64,
            #[serde(with = "rihla_core::decimal_string")]
            balance: rihla_core::Decimal,
            #[serde(with = "rihla_core::decimal_string")]
            available: rihla_core::Decimal,
        }
        let normal = self.account.normal;
        View {
            account: &self.account,
            balances: &self.balances,
            version: self.version,
            balance: crate::amount::signed_to_decimal(
                self.account.unit,
                self.balances.posted(normal),
            ),
            available: crate::amount::signed_to_decimal(
                self.account.unit,
                self.balances.available(normal),
            ),
        }
        .serialize(s)
    }
}
