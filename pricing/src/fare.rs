//! Fares per IATA passenger type.

use crate::request::{Fare, FareComponent, PaxFare};
use crate::rulebook::check_percent;
use crate::{Error, PassengerType};
use rihla_core::{Currency, Decimal, RoundingMode};

/// The per-type amounts of a fare or of one of its components.
#[derive(Debug, Clone, Copy)]
pub struct PtcPrices<'a> {
    /// The adult amount.
    pub adt: Decimal,
    /// CHD, INF, YTH, STU and SRC amounts, in that order.
    pub others: [&'a Option<PaxFare>; 5],
}

impl<'a> PtcPrices<'a> {
    /// The fare-level amounts (`None` when the fare has no `adt`, i.e. uses components).
    pub fn of_fare(fare: &'a Fare) -> Option<Self> {
        Some(PtcPrices {
            adt: fare.adt?,
            others: [&fare.chd, &fare.inf, &fare.yth, &fare.stu, &fare.src],
        })
    }

    /// The amounts of one component.
    pub fn of_component(c: &'a FareComponent) -> Self {
        PtcPrices {
            adt: c.adt,
            others: [&c.chd, &c.inf, &c.yth, &c.stu, &c.src],
        }
    }
}

/// The price of one passenger of `ptc` under `fare`, rounded to the minor unit of
/// `currency` with `mode` when it is a percentage of the ADT fare (CHD 75 % of 1 850.00 =
/// 1 387.50).
///
/// # Errors
/// `INVALID_REQUEST` when a CHD/INF fare is missing or gives both or neither of `amount`
/// and `percent_of_adt`; `RATE_OUT_OF_RANGE` for a percentage outside 0–100;
/// `OVERFLOW`. `field` builds the path named in errors (only on error).
pub fn unit_fare(
    fare: &PtcPrices<'_>,
    ptc: PassengerType,
    currency: Currency,
    mode: RoundingMode,
    field: &dyn Fn() -> String,
) -> Result<Decimal, Error> {
    let [chd, inf, yth, stu, src] = fare.others;
    let (pax, name) = match ptc {
        PassengerType::Adult => return Ok(fare.adt),
        PassengerType::Child => (chd, "chd"),
        PassengerType::Infant => (inf, "inf"),
        PassengerType::Youth => (yth, "yth"),
        PassengerType::Student => (stu, "stu"),
        PassengerType::Senior => (src, "src"),
    };
    let field = || format!("{}.{name}", field());
    match pax {
        Some(PaxFare {
            amount: Some(a),
            percent_of_adt: None,
        }) => Ok(*a),
        Some(PaxFare {
            amount: None,
            percent_of_adt: Some(p),
        }) => {
            check_percent(|| format!("{}.percent_of_adt", field()), *p)?;
            Ok(rihla_core::exact::round_ratio_to_minor(
                &[fare.adt, *p],
                &[Decimal::ONE_HUNDRED],
                currency,
                mode,
                "fare percentage",
            )?)
        }
        Some(_) => Err(Error::InvalidRequest {
            field: field(),
            reason: "give exactly one of amount or percent_of_adt".into(),
        }),
        None => Err(Error::InvalidRequest {
            field: field(),
            reason: format!("{} passengers need a {} fare", ptc.code(), ptc.code()),
        }),
    }
}
