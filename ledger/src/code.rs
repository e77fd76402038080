//! Transfer codes: why money or points moved.

use serde::{Deserialize, Serialize};

/// Why a transfer moved value (serialized in upper case). The code is part of a transfer's
/// identity: a retry with another code is `EXISTS_WITH_DIFFERENT_CODE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[repr(u16)]
pub enum Code {
    /// Money into a wallet (top-up, bank transfer).
    Deposit = 1,
    /// Money out of a wallet to the customer's bank.
    Withdrawal = 2,
    /// A booking paid (from a wallet or a payment provider).
    Payment = 3,
    /// A payment given back.
    Refund = 4,
    /// Membership cashback (pending, approved, credited).
    Cashback = 5,
    /// A promotional credit.
    Bonus = 6,
    /// An agent's or the platform's commission.
    Commission = 7,
    /// Loyalty points earned (a points lot).
    Earn = 8,
    /// Loyalty points spent.
    Redeem = 9,
    /// Loyalty points expired.
    Expire = 10,
    /// A manual correction with an actor and a reason.
    Adjustment = 11,
    /// The reversal of an earlier transfer.
    Reversal = 12,
}

impl Code {
    /// Every code, in number order.
    pub const ALL: [Code; 12] = [
        Code::Deposit,
        Code::Withdrawal,
        Code::Payment,
        Code::Refund,
        Code::Cashback,
        Code::Bonus,
        Code::Commission,
        Code::Earn,
        Code::Redeem,
        Code::Expire,
        Code::Adjustment,
        Code::Reversal,
    ];

    /// The JSON name, e.g. `"DEPOSIT"`.
    pub fn name(self) -> &'static str {
        match self {
            Code::Deposit => "DEPOSIT",
            Code::Withdrawal => "WITHDRAWAL",
            Code::Payment => "PAYMENT",
            Code::Refund => "REFUND",
            Code::Cashback => "CASHBACK",
            Code::Bonus => "BONUS",
            Code::Commission => "COMMISSION",
            Code::Earn => "EARN",
            Code::Redeem => "REDEEM",
            Code::Expire => "EXPIRE",
            Code::Adjustment => "ADJUSTMENT",
            Code::Reversal => "REVERSAL",
        }
    }
}
