//! Which journeys, segments and items a tax rule's filters select.

use super::{JourneyFilter, TaxBasis, TaxRule};
use crate::jet::charter::TaxJourney;
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
    journey_matches(
        rule,
        item.segments
            .iter()
            .map(|s| (s.origin_country.as_str(), s.destination_country.as_str())),
    )
}

/// Whether a journey, given as its legs' `(origin country, destination country)`, passes
/// the rule's journey and country filters: it is domestic when every leg departs and lands
/// in the country of the first departure; a domestic journey matches `countries` by that
/// country, an international one by any country it touches. A journey without legs
/// matches only unfiltered rules.
fn journey_matches<'a, I>(rule: &TaxRule, legs: I) -> bool
where
    I: Iterator<Item = (&'a str, &'a str)> + Clone,
{
    let Some((home, _)) = legs.clone().next() else {
        return rule.journey == JourneyFilter::Any && rule.countries.is_empty();
    };
    let domestic = legs.clone().all(|(o, d)| o == home && d == home);
    let journey_ok = match rule.journey {
        JourneyFilter::Any => true,
        JourneyFilter::Domestic => domestic,
        JourneyFilter::International => !domestic,
    };
    let countries_ok = rule.countries.is_empty()
        || if domestic {
            listed(&rule.countries, home)
        } else {
            legs.clone()
                .any(|(o, d)| listed(&rule.countries, o) || listed(&rule.countries, d))
        };
    journey_ok && countries_ok
}

/// Whether one segment passes the rule's filters: journey on the segment itself, and
/// country/airport at its departure (or, for PER_ARRIVAL, at its arrival).
pub(super) fn segment_matches(rule: &TaxRule, segment: &Segment) -> bool {
    leg_matches(
        rule,
        [&segment.origin, &segment.destination],
        [&segment.origin_country, &segment.destination_country],
    )
}

/// [`segment_matches`] on a leg given as `[origin, destination]` airports and countries.
fn leg_matches(rule: &TaxRule, airports: [&str; 2], countries: [&str; 2]) -> bool {
    let [origin_country, destination_country] = countries;
    let journey_ok = match rule.journey {
        JourneyFilter::Any => true,
        JourneyFilter::Domestic => origin_country == destination_country,
        JourneyFilter::International => origin_country != destination_country,
    };
    let end = usize::from(rule.basis == TaxBasis::PerArrival);
    let (country, airport) = (countries[end], airports[end]);
    journey_ok && listed(&rule.countries, country) && listed(&rule.airports, airport)
}

/// Whether a charter as a whole passes the rule's journey and country filters, as a
/// flight journey does ([`item_matches`]): domestic when every customer leg stays in the
/// country of the first departure.
pub(super) fn charter_matches(rule: &TaxRule, journey: &TaxJourney) -> bool {
    journey_matches(
        rule,
        journey
            .legs
            .iter()
            .map(|l| (l.origin_country.as_str(), l.destination_country.as_str())),
    )
}

/// For a fixed per-passenger basis on a charter's flight-charge line: how many times the
/// amount is charged. PER_PASSENGER_SEGMENT, PER_DEPARTURE and PER_ARRIVAL count the
/// passengers of each customer leg that passes the segment filters (the US segment fee on
/// occupied domestic legs); PER_PASSENGER counts the largest party on board when the
/// charter passes the journey filters. PER_ONE_WAY and PER_ENPLANEMENT do not apply to
/// charters. `None` when nothing is charged.
pub(super) fn charter_charges(rule: &TaxRule, journey: &TaxJourney) -> Option<u64> {
    if !journey.flight {
        return None;
    }
    let n = match rule.basis {
        TaxBasis::PerPassengerSegment | TaxBasis::PerDeparture | TaxBasis::PerArrival => journey
            .legs
            .iter()
            .filter(|l| {
                leg_matches(
                    rule,
                    [&l.origin, &l.destination],
                    [&l.origin_country, &l.destination_country],
                )
            })
            .map(|l| u64::from(l.passengers))
            .sum(),
        TaxBasis::PerPassenger if charter_matches(rule, journey) => journey
            .legs
            .iter()
            .map(|l| u64::from(l.passengers))
            .max()
            .unwrap_or(0),
        _ => 0,
    };
    (n > 0).then_some(n)
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
            out.saturating_add(inb)
        }
        TaxBasis::PerEnplanement => {
            let per_way = |d| {
                let n = qualifying(Some(d));
                rule.max_per_one_way.map_or(n, |m| n.min(u64::from(m)))
            };
            let total = per_way(Direction::Outbound).saturating_add(per_way(Direction::Inbound));
            rule.max_per_round_trip
                .map_or(total, |m| total.min(u64::from(m)))
        }
        _ => return None,
    };
    (n > 0).then_some(n)
}
