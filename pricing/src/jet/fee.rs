//! The operator's charter fees: landing and handling, crew overnight, fuel, de-icing,
//! permits, catering and others, each counted on its basis and marked taxable or not.

use rihla_core::Money;
use serde::{Deserialize, Serialize};

/// What a fee is for (serialized in upper case). A tax rule may leave some kinds out of
/// its base (`exempt_charter_fees`: the US FET leaves out catering and ground transport,
/// which are not part of the air-transportation charge, Treas. Reg. 49.4261-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeeKind {
    /// Landing fees.
    Landing,
    /// Ground handling (FBO) fees.
    Handling,
    /// Crew hotel and per diem for nights away from base.
    CrewOvernight,
    /// Fuel surcharge.
    Fuel,
    /// De-icing.
    DeIcing,
    /// Overflight and landing permits.
    Permit,
    /// Catering (not part of the air-transportation charge).
    Catering,
    /// Ground transport (not part of the air-transportation charge).
    GroundTransport,
    /// Anything else the operator bills.
    Other,
}

impl FeeKind {
    /// The JSON name, e.g. `"CREW_OVERNIGHT"`.
    pub fn code(self) -> &'static str {
        match self {
            FeeKind::Landing => "LANDING",
            FeeKind::Handling => "HANDLING",
            FeeKind::CrewOvernight => "CREW_OVERNIGHT",
            FeeKind::Fuel => "FUEL",
            FeeKind::DeIcing => "DE_ICING",
            FeeKind::Permit => "PERMIT",
            FeeKind::Catering => "CATERING",
            FeeKind::GroundTransport => "GROUND_TRANSPORT",
            FeeKind::Other => "OTHER",
        }
    }
}

/// What a fee's amount is multiplied by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeeBasis {
    /// Once per charter (the default).
    #[default]
    PerTrip,
    /// Per customer leg.
    PerLeg,
    /// Per passenger per customer leg (catering).
    PerPassengerLeg,
    /// Per landing of any flown leg, repositioning included (at `airport` when given).
    PerLanding,
    /// Per take-off of any flown leg (at `airport` when given): de-icing.
    PerDeparture,
    /// Per flown leg that crosses a border (permits).
    PerInternationalLeg,
    /// Per crew member per night away from the home base.
    PerCrewNight,
    /// Per billable hour (tenths), per-leg and daily minimums included.
    PerBillableHour,
    /// Per hour flown (the legs' billed block hours, minimums left out; fuel surcharges).
    PerFlownHour,
}

/// One fee of the operator.
///
/// ```json
/// {"kind": "CREW_OVERNIGHT", "basis": "PER_CREW_NIGHT", "amount": {"amount": "300.00", "currency": "USD"}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// Unique id among the charter's fees (default `KIND-n`, n its 1-based position);
    /// the fee's quote line is `ITEM/ID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What it is for.
    pub kind: FeeKind,
    /// What its amount is multiplied by (default PER_TRIP).
    #[serde(default)]
    pub basis: FeeBasis,
    /// The amount per unit of the basis, ≥ 0 (converted with the request's rates when in
    /// another currency than the quote's).
    pub amount: Money,
    /// PER_LANDING / PER_DEPARTURE: only at this airport (a code legs use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub airport: Option<String>,
    /// Whether percentage taxes apply to it at all (default true; a tax rule can still
    /// leave the fee's kind out with `exempt_charter_fees`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxable: Option<bool>,
    /// Text shown on the quote.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl Fee {
    /// Whether percentage taxes apply to it at all.
    pub fn is_taxable(&self) -> bool {
        self.taxable.unwrap_or(true)
    }

    /// The fee's id, given or `KIND-n` for its 0-based `index`.
    pub fn id_at(&self, index: usize) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{}-{}", self.kind.code(), index.saturating_add(1)))
    }
}
