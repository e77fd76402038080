//! Runnable examples of rihla. The main job: `cargo run --example quote`.
//!
//! `examples/data/` holds the shipped requests: [`UMRAH_FAMILY_JSON`] is the family
//! Umrah package the main job prices on the embedded default rulebook.

/// A Dhaka → Jeddah Umrah package for a family (2 ADT, 1 CHD, 1 INF): flights, a hotel in
/// Makkah, ground transport, a GOLD member and the voucher code `umrah150`.
pub const UMRAH_FAMILY_JSON: &str = include_str!("data/umrah_family.json");

/// A US domestic round trip (BOS-ORD-DEN and back, 2 ADT + 1 CHD + 1 lap INF, a SILVER
/// member) that pays the four US air taxes of the default rulebook.
pub const US_ROUND_TRIP_JSON: &str = include_str!("data/us_round_trip.json");

#[path = "charter_report.rs"]
pub mod charter_report;

/// The command line both examples share: `[--json] [REQUEST.json]`, `-h`/`--help`; runs
/// `run(file, json)` and prints its text, or the error and exits with status 1.
pub fn cli(
    name: &str,
    run: fn(Option<&str>, bool) -> Result<String, String>,
) -> std::process::ExitCode {
    use std::process::ExitCode;
    let mut json = false;
    let mut file = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json = true,
            "-h" | "--help" => {
                println!("usage: cargo run --example {name} -- [--json] [REQUEST.json]");
                return ExitCode::SUCCESS;
            }
            _ if file.is_none() => file = Some(arg),
            _ => {
                eprintln!("error: unexpected argument {arg:?}");
                return ExitCode::FAILURE;
            }
        }
    }
    match run(file.as_deref(), json) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The main job's logic, kept in the library so that tests can call it.
pub mod report {
    use rihla_pricing::quote::{DiscountLine, ItemLine, Line, TaxLine};
    use rihla_pricing::{Quote, QuoteRequest, Rulebook};

    /// Prices the request in `file` (or the shipped family request) on the default rulebook;
    /// returns the readable breakdown, or the Quote as pretty JSON when `json`.
    ///
    /// # Errors
    /// A message naming the file, the error code and the field.
    pub fn run(file: Option<&str>, json: bool) -> Result<String, String> {
        let text = match file {
            Some(path) => {
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?
            }
            None => crate::UMRAH_FAMILY_JSON.to_owned(),
        };
        let source = file.unwrap_or("examples/data/umrah_family.json");
        let describe = |e: rihla_pricing::Error| format!("{source}: [{}] {e}", e.code());
        let rulebook = Rulebook::default_rulebook().map_err(describe)?;
        let request = QuoteRequest::from_json(&text).map_err(describe)?;
        let quote = rulebook.quote(&request).map_err(describe)?;
        if json {
            return serde_json::to_string_pretty(&quote).map_err(|e| e.to_string());
        }
        Ok(render(&quote))
    }

    /// The readable breakdown of a quote: item lines, adjustments, rejections, totals, rewards.
    pub fn render(q: &Quote) -> String {
        let c = q.currency.code();
        let mut out = String::new();
        let mut push = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        push(format!(
            "rihla quote · rulebook {} · currency {c}{}",
            q.rulebook_version,
            q.customer_id
                .as_ref()
                .map(|id| format!(" · customer {id}"))
                .unwrap_or_default()
        ));
        push(String::new());
        push(format!(
            "{:<22} {:>4} {:>10} {:>10} {:>9} {:>9} {:>10} {:>9} {:>10}",
            "line", "qty", "unit", "gross", "offers", "voucher", "net", "tax", "total"
        ));
        let items: Vec<&ItemLine> = q
            .lines
            .iter()
            .filter_map(|l| if let Line::Item(i) = l { Some(i) } else { None })
            .collect();
        for l in &items {
            push(format!(
                "{:<22} {:>4} {:>10} {:>10} {:>9} {:>9} {:>10} {:>9} {:>10}",
                l.id,
                l.quantity,
                l.unit_price,
                l.gross,
                neg(l.discount),
                neg(l.voucher_discount),
                l.net,
                l.tax,
                l.total
            ));
            if !l.description.is_empty() {
                push(format!("  {}", l.description));
            }
        }
        push(String::new());
        push("adjustments".into());
        for l in &q.lines {
            match l {
                Line::Offer(d) => push(discount("offer", d, c)),
                Line::Voucher(d) => push(discount("voucher", d, c)),
                Line::Tax(t) | Line::Surcharge(t) => push(tax(t, c)),
                Line::Benefit(b) => push(format!(
                    "  benefit  {} {}: {}{}{}",
                    b.rule_id,
                    name(&b.benefit),
                    b.description,
                    b.points
                        .map(|p| format!(", {p} points"))
                        .unwrap_or_default(),
                    b.amount
                        .map(|a| format!(", {a} {c} pending"))
                        .unwrap_or_default()
                )),
                Line::Item(_) => {}
            }
        }
        for r in &q.rejected {
            let reason = serde_json::to_string(&r.reason).unwrap_or_default();
            push(format!(
                "  rejected {} {} {}: {reason}",
                name(&r.kind).to_lowercase(),
                r.rule_id.as_deref().unwrap_or("-"),
                r.code.as_deref().unwrap_or("")
            ));
        }
        push(String::new());
        push(format!("  base amount        {:>12} {c}", q.base_amount));
        push(format!(
            "  offer discounts    {:>12} {c}",
            neg(q.discount_amount)
        ));
        push(format!(
            "  voucher discount   {:>12} {c}",
            neg(q.voucher_discount)
        ));
        push(format!("  fees               {:>12} {c}", q.fee_amount));
        push(format!("  tax                {:>12} {c}", q.tax_amount));
        push(format!("  final amount       {:>12} {c}", q.final_amount));
        push(String::new());
        let r = &q.rewards;
        push(format!(
            "rewards: tier {}, membership {}",
            name(&r.tier),
            name(&r.membership_status)
        ));
        push(format!(
            "  points   {} = floor({} {c} / {}) = {} base points × {}",
            r.total_points,
            r.points_basis_amount,
            r.points_unit,
            r.base_points,
            r.points_multiplier
        ));
        push(format!(
            "  cashback {} {c} ({} % of the final amount), {} until {} days after completion",
            r.cashback_amount,
            r.cashback_percent,
            name(&r.cashback_status),
            r.cashback_hold_days
        ));
        out.trim_end().to_owned()
    }

    /// The JSON name of a unit enum (`GOLD`, `CAPPED_MAX_DISCOUNT`), for printing.
    fn name<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_string(value)
            .unwrap_or_default()
            .trim_matches('"')
            .to_owned()
    }

    fn neg(d: rihla_core::Decimal) -> String {
        if d.is_zero() {
            d.to_string()
        } else {
            format!("-{d}")
        }
    }

    fn allocations(list: &[rihla_pricing::quote::Allocation]) -> String {
        list.iter()
            .map(|a| format!("{} {}", a.line_id, a.amount))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn discount(kind: &str, d: &DiscountLine, c: &str) -> String {
        let rule = match &d.code {
            Some(code) => format!("{} (code {code})", d.rule_id),
            None => d.rule_id.clone(),
        };
        let how = match d.discount_type {
            rihla_pricing::quote::DiscountType::Percentage => {
                format!("{} % of {} {c}", d.value, d.base)
            }
            rihla_pricing::quote::DiscountType::Fixed => {
                format!("{} {c} off {} {c}", d.value, d.base)
            }
            rihla_pricing::quote::DiscountType::Bogo => {
                format!("buy-x-get-y at {} % off the cheapest units", d.value)
            }
        };
        let reason = d
            .reason
            .map(|r| {
                format!(
                    " [{}; requested {}]",
                    serde_json::to_string(&r)
                        .unwrap_or_default()
                        .trim_matches('"'),
                    d.requested
                )
            })
            .unwrap_or_default();
        format!(
            "  {kind:<8} {rule}: {how} = -{} {c}{reason}\n    {} — allocated: {}",
            d.amount,
            d.name,
            allocations(&d.allocations)
        )
    }

    fn tax(t: &TaxLine, c: &str) -> String {
        let how = match (t.rate, t.base, t.unit_amount) {
            (Some(rate), Some(base), _) => format!("{rate} % of {base} {c}"),
            (_, _, Some(unit)) => format!(
                "{unit} {c} {}",
                name(&t.basis).to_lowercase().replace('_', " ")
            ),
            _ => String::new(),
        };
        let included = if t.inclusive {
            " (included in the price)"
        } else {
            ""
        };
        format!(
            "  tax      {} {}: {how} = {} {c}{included}\n    per line: {}",
            t.rule_id,
            t.code,
            t.amount,
            allocations(&t.allocations)
        )
    }
}
