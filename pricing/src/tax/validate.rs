//! Load-time validation of tax rules: each basis with exactly the fields it uses.

use super::{TaxBasis, TaxRule};
use crate::error::Doc;
use crate::rulebook::{check_id, check_len, check_money, check_percent, check_text};
use crate::{limits, Error};
use std::collections::HashSet;

fn invalid(field: String, reason: impl Into<String>) -> Error {
    Error::InvalidRulebook {
        field,
        reason: reason.into(),
    }
}

fn check_codes(field: &str, list: &[String], len: usize) -> Result<(), Error> {
    check_len(field, list.len(), limits::MAX_RULE_LIST)?;
    for (i, c) in list.iter().enumerate() {
        if c.len() != len || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid(
                format!("{field}[{i}]"),
                format!("{c:?} is not a {len}-letter upper-case code"),
            ));
        }
    }
    Ok(())
}

/// Validates every rule, and that `includes` names earlier rules only.
pub(crate) fn validate_taxes(taxes: &[TaxRule]) -> Result<(), Error> {
    check_len("taxes", taxes.len(), limits::MAX_TAXES)?;
    let mut ids: HashSet<&str> = HashSet::new();
    for (i, t) in taxes.iter().enumerate() {
        let f = |name: &str| format!("taxes[{i}].{name}");
        check_id(|| f("id"), &t.id, Doc::Rulebook)?;
        check_id(|| f("code"), &t.code, Doc::Rulebook)?;
        check_text(|| f("name"), &t.name, Doc::Rulebook)?;
        check_text(|| f("source"), &t.source, Doc::Rulebook)?;
        check_len(&f("applies_to"), t.applies_to.len(), limits::MAX_RULE_LIST)?;
        check_codes(&f("countries"), &t.countries, 2)?;
        check_codes(&f("airports"), &t.airports, 3)?;
        if !t.window().is_ordered() {
            return Err(invalid(
                f("valid_until"),
                "valid_until is before valid_from",
            ));
        }
        if t.basis.is_percentage() {
            match t.rate {
                Some(rate) => check_percent(|| f("rate"), rate)?,
                None => return Err(invalid(f("rate"), "a percentage basis needs a rate")),
            }
            if t.amount.is_some() {
                return Err(invalid(
                    f("amount"),
                    "a percentage basis takes a rate, not an amount",
                ));
            }
        } else {
            if t.rate.is_some() {
                return Err(invalid(
                    f("rate"),
                    "a fixed basis takes an amount, not a rate",
                ));
            }
            match &t.amount {
                Some(m) => check_money(|| f("amount"), m)?,
                None => return Err(invalid(f("amount"), "a fixed basis needs an amount")),
            }
        }
        if t.inclusive && t.basis != TaxBasis::PercentOfNet {
            return Err(invalid(
                f("inclusive"),
                "only a PERCENT_OF_NET rule can be tax-inclusive",
            ));
        }
        if t.basis == TaxBasis::PercentOfSubtotal {
            if t.includes.is_empty() {
                return Err(invalid(
                    f("includes"),
                    "PERCENT_OF_SUBTOTAL names the earlier rules it compounds",
                ));
            }
        } else if !t.includes.is_empty() {
            return Err(invalid(
                f("includes"),
                "only PERCENT_OF_SUBTOTAL compounds other rules",
            ));
        }
        check_len(&f("includes"), t.includes.len(), limits::MAX_TAXES)?;
        for (k, inc) in t.includes.iter().enumerate() {
            let earlier = taxes.iter().take(i).find(|r| &r.id == inc);
            match earlier {
                None => {
                    return Err(invalid(
                        format!("taxes[{i}].includes[{k}]"),
                        format!(
                            "{inc:?} is not an earlier rule (compounding follows rulebook order)"
                        ),
                    ))
                }
                Some(r) if r.inclusive => {
                    return Err(invalid(
                        format!("taxes[{i}].includes[{k}]"),
                        format!("{inc:?} is tax-inclusive; it cannot be compounded"),
                    ))
                }
                Some(_) => {}
            }
        }
        if t.round_trip_cap.is_some() && t.basis != TaxBasis::PerOneWay {
            return Err(invalid(
                f("round_trip_cap"),
                "only PER_ONE_WAY has a round-trip cap",
            ));
        }
        if let Some(m) = &t.round_trip_cap {
            check_money(|| f("round_trip_cap"), m)?;
        }
        if (t.max_per_one_way.is_some() || t.max_per_round_trip.is_some())
            && t.basis != TaxBasis::PerEnplanement
        {
            return Err(invalid(
                f("max_per_one_way"),
                "only PER_ENPLANEMENT has enplanement caps",
            ));
        }
        if !ids.insert(t.id.as_str()) {
            return Err(Error::DuplicateId {
                field: f("id"),
                id: t.id.clone(),
            });
        }
    }
    Ok(())
}
