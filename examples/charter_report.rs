//! The logic of `cargo run --example charter`, kept in the library so that tests can call
//! it.
//!
//! It prices a charter request on the embedded default rulebook and renders the charter
//! breakdown a broker reads: the flown legs (customer and repositioning) with distance,
//! block time and billable hours, the daily minimums, surcharges, fees, taxes, the final
//! amount and the commission / platform fee / owner earnings split.

use rihla_core::Decimal;
use rihla_pricing::jet::{Charter, LegKind};
use rihla_pricing::quote::{ItemLine, Line, TaxLine};
use rihla_pricing::{Quote, QuoteRequest, Rulebook};

/// A Umrah family charter: a Challenger 350 (SUPER_MIDSIZE) based in Dubai flies 7
/// passengers RUH → JED (Friday), JED → MED (Saturday) and MED → RUH (Monday) in
/// December 2026, with the positioning ferry from DXB and the return ferry billed.
pub const CHARTER_UMRAH_JSON: &str = include_str!("data/charter_umrah.json");

/// Where [`CHARTER_UMRAH_JSON`] lives, for messages.
pub const CHARTER_UMRAH_PATH: &str = "examples/data/charter_umrah.json";

/// Prices the request in `file` (or the shipped Umrah charter) on the default rulebook.
///
/// # Errors
/// A message naming the file, the error code and the field.
pub fn price(file: Option<&str>) -> Result<Quote, String> {
    let text = match file {
        Some(path) => {
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
        }
        None => CHARTER_UMRAH_JSON.to_owned(),
    };
    let source = file.unwrap_or(CHARTER_UMRAH_PATH);
    let describe = |e: rihla_pricing::Error| format!("{source}: [{}] {e}", e.code());
    let rulebook = Rulebook::default_rulebook().map_err(describe)?;
    let request = QuoteRequest::from_json(&text).map_err(describe)?;
    rulebook.quote(&request).map_err(describe)
}

/// Prices the request in `file` (or the shipped Umrah charter) and returns the readable
/// charter breakdown, or the Quote as pretty JSON when `json`.
///
/// # Errors
/// As [`price`].
pub fn run(file: Option<&str>, json: bool) -> Result<String, String> {
    let quote = price(file)?;
    if json {
        return serde_json::to_string_pretty(&quote).map_err(|e| e.to_string());
    }
    Ok(render(&quote))
}

/// The readable breakdown: one section per charter, then the quote's totals.
pub fn render(q: &Quote) -> String {
    let c = q.currency.code();
    let mut out = Vec::new();
    out.push(format!(
        "rihla charter quote · rulebook {} · currency {c}{}",
        q.rulebook_version,
        q.customer_id
            .as_ref()
            .map(|id| format!(" · customer {id}"))
            .unwrap_or_default()
    ));
    if q.charters.is_empty() {
        out.push(String::new());
        out.push("no PRIVATE_JET item in this request".into());
    }
    for ch in &q.charters {
        out.push(String::new());
        render_charter(&mut out, q, ch, c);
    }
    let others: Vec<&ItemLine> = item_lines(q)
        .filter(|l| !q.charters.iter().any(|ch| ch.item_id == l.item_id))
        .collect();
    if !others.is_empty() {
        out.push(String::new());
        out.push("other items".into());
        for l in others {
            out.push(format!(
                "  {:<24} net {:>12}  tax {:>10}  total {:>12} {c}",
                l.id, l.net, l.tax, l.total
            ));
        }
    }
    out.push(String::new());
    out.push("quote".into());
    out.push(format!("  base amount        {:>13} {c}", q.base_amount));
    out.push(format!(
        "  discounts          {:>13} {c}",
        neg(q.discount_amount + q.voucher_discount)
    ));
    out.push(format!("  service fees       {:>13} {c}", q.fee_amount));
    out.push(format!("  tax                {:>13} {c}", q.tax_amount));
    out.push(format!("  final amount       {:>13} {c}", q.final_amount));
    out.join("\n")
}

fn render_charter(out: &mut Vec<String>, q: &Quote, ch: &Charter, c: &str) {
    let description = item_lines(q)
        .find(|l| l.id == ch.item_id)
        .map(|l| l.description.clone())
        .unwrap_or_default();
    out.push(format!(
        "{} · aircraft {} ({}) · {description}",
        ch.item_id,
        ch.aircraft_id,
        name(&ch.category)
    ));
    out.push(String::new());
    out.push(format!(
        "{:>2} {:<5} {:<7} {:<25} {:>3} {:>7} {:>16} {:>6} {:>8} {:>9} {:>11} {:>10} {:>10} {:>11}",
        "#",
        "kind",
        "route",
        "departure (local)",
        "pax",
        "km",
        "block h exact",
        "billed",
        "billable",
        "rate/h",
        "flight",
        "surcharge",
        "empty disc",
        "charge"
    ));
    for (k, l) in ch.legs.iter().enumerate() {
        let f = &l.flown;
        let kind = match f.kind {
            LegKind::Occupied => "OCC",
            LegKind::Empty => "EMPTY",
            LegKind::Repositioning => "FERRY",
        };
        let block = f.block_time.map_or_else(
            || "(operator)".to_owned(),
            |b| {
                format!(
                    "{} {}",
                    b.block_hours_exact.round_dp(4),
                    hms(b.block_hours_exact)
                )
            },
        );
        out.push(format!(
            "{:>2} {:<5} {:<7} {:<25} {:>3} {:>7} {:>16} {:>6} {:>8} {:>9} {:>11} {:>10} {:>10} {:>11}",
            k + 1,
            kind,
            format!("{}-{}", f.from, f.to),
            f.departure.format("%a %Y-%m-%d %H:%M %:z").to_string(),
            f.passengers,
            f.distance_km,
            block,
            f.billed_hours,
            f.billable_hours,
            l.rate,
            l.flight_charge,
            l.surcharge,
            neg(l.empty_leg_discount),
            l.charge
        ));
    }
    out.push(
        "   OCC = customer leg, FERRY = engine-added repositioning leg, EMPTY = empty-leg sale; \
         block time exact in hours (h:mm:ss), billed in tenths rounded up"
            .into(),
    );
    out.push(
        "   a FERRY leg's time carries the UTC offset of the customer leg it serves \
         (the engine's convention), not always its departure airport's"
            .into(),
    );

    out.push(String::new());
    out.push(
        "daily minimums (billable hours of each local departure day, ferries included)".into(),
    );
    for d in &ch.daily_minimums {
        out.push(format!(
            "  {}  billable {:>4} h  minimum {:>4} h  top-up {:>4} h  charge {:>11} {c}  surcharge {:>10} {c}",
            d.date.format("%a %Y-%m-%d"),
            d.hours,
            d.minimum_hours,
            d.top_up_hours,
            d.charge,
            d.surcharge
        ));
    }

    out.push(String::new());
    out.push("surcharges".into());
    if ch.surcharges.is_empty() {
        out.push("  none".into());
    }
    for s in &ch.surcharges {
        let how = match (s.percent, s.unit_amount) {
            (Some(p), _) => format!("{p} % of the flight charge"),
            (None, Some(u)) => format!("{u} {c} per leg"),
            (None, None) => String::new(),
        };
        let mut touched: Vec<String> = s.legs.iter().map(|k| format!("leg #{}", k + 1)).collect();
        touched.extend(
            s.days
                .iter()
                .map(|d| format!("{} top-up", d.format("%a %Y-%m-%d"))),
        );
        out.push(format!(
            "  {} ({}): {how} of {} = {} {c}",
            s.id,
            s.name,
            touched.join(", "),
            s.amount
        ));
    }

    out.push(String::new());
    out.push(format!(
        "fees (crew nights away from base: {})",
        ch.crew_nights
    ));
    if ch.fees.is_empty() {
        out.push("  none".into());
    }
    for fee in &ch.fees {
        out.push(format!(
            "  {:<14} {:<15} {:<21} {:>5} × {:>9} = {:>10} {c}{}",
            fee.id,
            name(&fee.kind),
            name(&fee.basis),
            fee.count,
            fee.unit_amount,
            fee.amount,
            if fee.taxable { "" } else { "  (not taxable)" }
        ));
    }

    out.push(String::new());
    out.push(format!(
        "hours: flown {} h, billable {} h (per-leg and daily minimums included), demand multiplier {}",
        ch.flown_hours, ch.billable_hours, ch.demand_multiplier
    ));
    let row = |label: &str, v: String| format!("  {label:<44} {v:>13} {c}");
    out.push(row(
        "flight charge (incl. top-ups)",
        ch.flight_charge.to_string(),
    ));
    out.push(row("surcharges", ch.surcharge_amount.to_string()));
    out.push(row("empty-leg discounts", neg(ch.empty_leg_discount)));
    out.push(row("operator fees", ch.operator_fees.to_string()));
    out.push(row("subtotal", ch.subtotal.to_string()));
    out.push(row("offer and voucher discounts", neg(ch.discount)));
    out.push(row("total before tax", ch.total.to_string()));
    for t in tax_lines(q) {
        let share: Decimal = t
            .allocations
            .iter()
            .filter(|a| belongs(&a.line_id, &ch.item_id))
            .map(|a| a.amount)
            .sum();
        if share.is_zero()
            && !t
                .allocations
                .iter()
                .any(|a| belongs(&a.line_id, &ch.item_id))
        {
            continue;
        }
        out.push(row(
            &format!("tax {} ({}) {}", t.code, t.rule_id, how(t, c)),
            share.to_string(),
        ));
    }
    out.push(row("total with tax", ch.total_with_tax.to_string()));

    out.push(String::new());
    out.push(format!("split of the total before tax ({} {c})", ch.total));
    out.push(row(
        &format!("commission {} %", ch.commission_percent),
        ch.commission.to_string(),
    ));
    out.push(row(
        &format!("platform fee {} %", ch.platform_fee_percent),
        ch.platform_fee.to_string(),
    ));
    out.push(row("owner earnings", ch.owner_earnings.to_string()));

    if !ch.conflicts.is_empty() {
        out.push(String::new());
        out.push("availability conflicts".into());
        for k in &ch.conflicts {
            out.push(format!(
                "  leg #{} {}: {}",
                k.flown_leg + 1,
                name(&k.kind),
                serde_json::to_string(&k.reason).unwrap_or_default()
            ));
        }
    }
}

fn item_lines(q: &Quote) -> impl Iterator<Item = &ItemLine> {
    q.lines.iter().filter_map(|l| match l {
        Line::Item(i) => Some(i),
        _ => None,
    })
}

fn tax_lines(q: &Quote) -> impl Iterator<Item = &TaxLine> {
    q.lines.iter().filter_map(|l| match l {
        Line::Tax(t) | Line::Surcharge(t) => Some(t),
        _ => None,
    })
}

/// Whether quote line `line_id` is the charter `item_id`'s flight line or one of its fees.
fn belongs(line_id: &str, item_id: &str) -> bool {
    line_id == item_id
        || line_id
            .strip_prefix(item_id)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn how(t: &TaxLine, c: &str) -> String {
    match (t.rate, t.base, t.unit_amount) {
        (Some(rate), Some(base), _) => format!("{rate} % of {base}"),
        (_, _, Some(unit)) => format!("{unit} {c} {}", name(&t.basis).to_lowercase()),
        _ => String::new(),
    }
}

/// Hours as `h:mm:ss` (seconds rounded to the nearest).
fn hms(hours: Decimal) -> String {
    let secs = i64::try_from((hours * Decimal::from(3600)).round()).unwrap_or_default();
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// The JSON name of a unit enum (`SUPER_MIDSIZE`, `PER_LANDING`), for printing.
fn name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .trim_matches('"')
        .to_owned()
}

fn neg(d: Decimal) -> String {
    if d.is_zero() {
        d.to_string()
    } else {
        format!("-{d}")
    }
}
