//! Which journeys, segments and items a tax rule's filters select.

use super::{JourneyFilter, TaxBasis, TaxRule};
use crate::request::{Direction, Item, Segment};

fn listed(list: &[String], value: &str) -> bool {
    list.is_empty() || list.iter().any(|x| x == value)
}

/// Whether an item as a whole passes the rule's journey and country filters (the filters
/// of the percentage and per-item bases). A flight's journey is domestic when every
/// segment departs and lands in the country of the first departure.
pub(super) fn item_matches(rule: &TaxRule, item: &Item) -> bool {
    if item.fare.is_none() {
        return match &item.country {
            Some(c) => listed(&rule.countries, c),
            None => rule.countries.is_empty(),
        };
    }
    let Some(first) = item.segments.first() else {
        return rule.journey == JourneyFilter::Any && rule.countries.is_empty();
    };
    let home = first.origin_country.as_str();
    let domestic = item
        .segments
        .iter()
        .all(|s| s.origin_country == home && s.destination_country == home);
    let journey_ok = match rule.journey {
        JourneyFilter::Any => true,
        JourneyFilter::Domestic => domestic,
        JourneyFilter::International => !domestic,
    };
    let countries_ok = rule.countries.is_empty()
        || if domestic {
            listed(&rule.countries, home)
        } else {
            item.segments.iter().any(|s| {
                rule.countries.contains(&s.origin_country)
                    || rule.countries.contains(&s.destination_country)
            })
        };
    journey_ok && countries_ok
}

/// Whether one segment passes the rule's filters: journey on the segment itself, and
/// country/airport at its departure (or, for PER_ARRIVAL, at its arrival).
pub(super) fn segment_matches(rule: &TaxRule, segment: &Segment) -> bool {
    let journey_ok = match rule.journey {
        JourneyFilter::Any => true,
        JourneyFilter::Domestic => segment.is_domestic(),
        JourneyFilter::International => !segment.is_domestic(),
    };
    let (country, airport) = if rule.basis == TaxBasis::PerArrival {
        (&segment.destination_country, &segment.destination)
    } else {
        (&segment.origin_country, &segment.origin)
    };
    journey_ok && listed(&rule.countries, country) && listed(&rule.airports, airport)
}

/// For a fixed per-passenger basis: how many times one passenger of `item` pays the
/// amount, and the cap of a PER_ONE_WAY rule as a count of amounts. `None` when the rule
/// does not reach the item at all.
pub(super) fn charges_per_passenger(rule: &TaxRule, item: &Item) -> Option<u64> {
    let qualifying = |d: Option<Direction>| {
        item.segments
            .iter()
            .filter(|s| d.is_none_or(|d| s.direction == d) && segment_matches(rule, s))
            .count() as u64
    };
    let n = match rule.basis {
        TaxBasis::PerPassenger => u64::from(item_matches(rule, item)),
        TaxBasis::PerPassengerSegment | TaxBasis::PerDeparture | TaxBasis::PerArrival => {
            qualifying(None)
        }
        TaxBasis::PerOneWay => {
            let out = u64::from(qualifying(Some(Direction::Outbound)) > 0);
            let inb = u64::from(qualifying(Some(Direction::Inbound)) > 0);
            out + inb
        }
        TaxBasis::PerEnplanement => {
            let per_way = |d| {
                let n = qualifying(Some(d));
                rule.max_per_one_way.map_or(n, |m| n.min(u64::from(m)))
            };
            let total = per_way(Direction::Outbound) + per_way(Direction::Inbound);
            rule.max_per_round_trip
                .map_or(total, |m| total.min(u64::from(m)))
        }
        _ => return None,
    };
    (n > 0).then_some(n)
}
