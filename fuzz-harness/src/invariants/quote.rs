//! What every successful quote and voucher check must satisfy.

use super::money::{minor_units, non_negative, sum, Scale};
use rihla_core::Decimal;
use rihla_pricing::quote::{DiscountLine, ItemLine, Line, RejectionReason, TaxLine, TaxMode};
use rihla_pricing::{Quote, VoucherCheck};
use std::collections::HashMap;

/// Asserts the quote's invariants (see the module docs of [`crate::invariants`]).
///
/// # Panics
/// On the first invariant that does not hold, naming the field and the values.
pub fn check_quote(q: &Quote) {
    let scale = Scale(q.currency.exponent());
    let base = non_negative(q.base_amount, scale, "base_amount");
    let discount = non_negative(q.discount_amount, scale, "discount_amount");
    let voucher = non_negative(q.voucher_discount, scale, "voucher_discount");
    let fee = non_negative(q.fee_amount, scale, "fee_amount");
    let tax = non_negative(q.tax_amount, scale, "tax_amount");
    let final_amount = non_negative(q.final_amount, scale, "final_amount");
    assert_eq!(
        final_amount,
        base - discount - voucher + fee + tax,
        "final {} ≠ base {} − discount {} − voucher {} + fee {} + tax {}",
        q.final_amount,
        q.base_amount,
        q.discount_amount,
        q.voucher_discount,
        q.fee_amount,
        q.tax_amount
    );

    let items: Vec<&ItemLine> = q
        .lines
        .iter()
        .filter_map(|l| match l {
            Line::Item(i) => Some(i),
            _ => None,
        })
        .collect();
    assert!(!items.is_empty(), "a quote without item lines");
    let parts: Vec<LineParts> = items.iter().map(|l| check_item_line(l, scale)).collect();
    let column = |f: fn(&LineParts) -> i128| parts.iter().map(f).collect::<Vec<i128>>();
    let totals = [
        ("base_amount", base, column(|p| p.gross)),
        ("discount_amount", discount, column(|p| p.discount)),
        ("voucher_discount", voucher, column(|p| p.voucher)),
        ("tax_amount", tax, column(|p| p.tax)),
        ("fee_amount", fee, column(|p| p.surcharge)),
        ("final_amount", final_amount, column(|p| p.total)),
    ];
    for (what, total, lines) in totals {
        assert_eq!(sum(lines, what), total, "Σ item lines ≠ {what}");
    }

    check_adjustments(q, &items, scale);
    for r in &q.redemptions {
        non_negative(r.amount, scale, "redemptions[].amount");
    }
    for r in &q.rejected {
        check_rejection(&r.reason, scale, "rejected[].reason");
    }
    check_rewards(q, scale);
    for c in &q.charters {
        check_charter(c, &items, scale);
    }
    let text = q.to_json();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
        "the quote's JSON does not read back: {text:?}"
    );
}

/// One item line's amounts in minor units.
struct LineParts {
    gross: i128,
    discount: i128,
    voucher: i128,
    tax: i128,
    surcharge: i128,
    total: i128,
}

fn check_item_line(l: &ItemLine, scale: Scale) -> LineParts {
    let what = |f: &str| format!("line {:?}.{f}", l.id);
    let unit_price = non_negative(l.unit_price, scale, &what("unit_price"));
    let gross = non_negative(l.gross, scale, &what("gross"));
    let discount = non_negative(l.discount, scale, &what("discount"));
    let voucher = non_negative(l.voucher_discount, scale, &what("voucher_discount"));
    let net = non_negative(l.net, scale, &what("net"));
    let tax = non_negative(l.tax, scale, &what("tax"));
    let surcharge = non_negative(l.surcharge, scale, &what("surcharge"));
    let included = non_negative(l.tax_included, scale, &what("tax_included"));
    let total = non_negative(l.total, scale, &what("total"));
    assert_eq!(
        net,
        gross - discount - voucher,
        "{}: net {} ≠ gross {} − discount {} − voucher {}",
        l.id,
        l.net,
        l.gross,
        l.discount,
        l.voucher_discount
    );
    assert_eq!(
        total,
        net + tax + surcharge,
        "{}: total {} ≠ net {} + tax {} + surcharge {}",
        l.id,
        l.total,
        l.net,
        l.tax,
        l.surcharge
    );
    // What inclusive rules extracted is counted as tax or as a carrier surcharge by kind.
    assert!(
        included <= tax + surcharge,
        "{}: tax_included {} > tax {} + surcharge {}",
        l.id,
        l.tax_included,
        l.tax,
        l.surcharge
    );
    let priced = unit_price
        .checked_mul(i128::from(l.quantity))
        .unwrap_or_else(|| panic!("{}: unit_price × quantity leaves i128", l.id));
    assert_eq!(
        gross,
        priced - included,
        "{}: gross {} ≠ unit_price {} × quantity {} − tax_included {}",
        l.id,
        l.gross,
        l.unit_price,
        l.quantity,
        l.tax_included
    );
    for p in &l.passengers {
        let net = non_negative(p.net, scale, &what("passengers[].net"));
        let taxes = sum(
            p.taxes
                .iter()
                .map(|t| non_negative(t.amount, scale, &what("passengers[].taxes[].amount"))),
            "passenger taxes",
        );
        let total = non_negative(p.total, scale, &what("passengers[].total"));
        assert_eq!(
            total,
            net + taxes,
            "{}: a passenger's total ≠ net + Σ taxes",
            l.id
        );
    }
    for c in &l.fare_components {
        non_negative(c.amount, scale, &what("fare_components[].amount"));
    }
    LineParts {
        gross,
        discount,
        voucher,
        tax,
        surcharge,
        total,
    }
}

/// Per item line id, the Σ of the allocations of each kind of adjustment.
#[derive(Default)]
struct Allocated {
    offer: i128,
    voucher: i128,
    tax: i128,
    surcharge: i128,
}

fn check_adjustments(q: &Quote, items: &[&ItemLine], scale: Scale) {
    let mut per_line: HashMap<&str, Allocated> = HashMap::new();
    for line in &q.lines {
        match line {
            Line::Item(_) => {}
            Line::Offer(d) => {
                for (id, a) in discount_allocations(d, scale) {
                    per_line.entry(id).or_default().offer += a;
                }
            }
            Line::Voucher(d) => {
                for (id, a) in discount_allocations(d, scale) {
                    per_line.entry(id).or_default().voucher += a;
                }
            }
            Line::Tax(t) => {
                for (id, a) in tax_allocations(t, scale) {
                    per_line.entry(id).or_default().tax += a;
                }
            }
            Line::Surcharge(t) => {
                for (id, a) in tax_allocations(t, scale) {
                    per_line.entry(id).or_default().surcharge += a;
                }
            }
            Line::Benefit(b) => {
                if let Some(a) = b.amount {
                    non_negative(a, scale, "benefit amount");
                }
            }
        }
    }
    for id in per_line.keys() {
        assert!(
            items.iter().any(|l| l.id == *id),
            "an allocation names {id:?}, which is not an item line"
        );
    }
    for l in items {
        let a = per_line.remove(l.id.as_str()).unwrap_or_default();
        let m = |d: Decimal| d.mantissa();
        assert_eq!(
            a.offer,
            m(l.discount),
            "{}: Σ offer allocations ≠ discount",
            l.id
        );
        assert_eq!(
            a.voucher,
            m(l.voucher_discount),
            "{}: Σ voucher allocations ≠ voucher_discount",
            l.id
        );
        assert_eq!(a.tax, m(l.tax), "{}: Σ tax allocations ≠ tax", l.id);
        assert_eq!(
            a.surcharge,
            m(l.surcharge),
            "{}: Σ surcharge allocations ≠ surcharge",
            l.id
        );
    }
}

fn discount_allocations(d: &DiscountLine, scale: Scale) -> Vec<(&str, i128)> {
    let what = |f: &str| format!("{} {f}", d.rule_id);
    non_negative(d.base, scale, &what("base"));
    let requested = non_negative(d.requested, scale, &what("requested"));
    let amount = non_negative(d.amount, scale, &what("amount"));
    // A GROSS (tax-inclusive) amount applies its net part: less than requested.
    if d.reason.is_none() && d.tax_mode == TaxMode::Net {
        assert_eq!(
            amount, requested,
            "{}: amount ≠ requested without a reason",
            d.rule_id
        );
    }
    let parts: Vec<(&str, i128)> = d
        .allocations
        .iter()
        .map(|a| {
            let units = non_negative(a.amount, scale, &what("allocations[].amount"));
            (a.line_id.as_str(), units)
        })
        .collect();
    let total = sum(parts.iter().map(|p| p.1), "allocations");
    assert_eq!(
        total, amount,
        "{}: Σ allocations ≠ amount {}",
        d.rule_id, d.amount
    );
    parts
}

fn tax_allocations(t: &TaxLine, scale: Scale) -> Vec<(&str, i128)> {
    let what = |f: &str| format!("{} {f}", t.rule_id);
    let amount = non_negative(t.amount, scale, &what("amount"));
    if let Some(u) = t.unit_amount {
        non_negative(u, scale, &what("unit_amount"));
    }
    if let Some(b) = t.base {
        non_negative(b, scale, &what("base"));
    }
    let parts: Vec<(&str, i128)> = t
        .allocations
        .iter()
        .map(|a| {
            let units = non_negative(a.amount, scale, &what("allocations[].amount"));
            (a.line_id.as_str(), units)
        })
        .collect();
    let total = sum(parts.iter().map(|p| p.1), "allocations");
    assert_eq!(
        total, amount,
        "{}: Σ allocations ≠ amount {}",
        t.rule_id, t.amount
    );
    parts
}

fn check_rejection(reason: &RejectionReason, scale: Scale, what: &str) {
    match reason {
        RejectionReason::MinPurchaseNotMet { required, actual } => {
            non_negative(*required, scale, &format!("{what}.required"));
            non_negative(*actual, scale, &format!("{what}.actual"));
        }
        RejectionReason::BudgetExceeded {
            remaining,
            requested,
        } => {
            non_negative(*remaining, scale, &format!("{what}.remaining"));
            non_negative(*requested, scale, &format!("{what}.requested"));
        }
        _ => {}
    }
}

fn check_rewards(q: &Quote, scale: Scale) {
    let r = &q.rewards;
    non_negative(r.points_basis_amount, scale, "rewards.points_basis_amount");
    let requested = non_negative(r.cashback_requested, scale, "rewards.cashback_requested");
    let amount = non_negative(r.cashback_amount, scale, "rewards.cashback_amount");
    assert!(amount <= requested, "cashback_amount > cashback_requested");
    if r.cashback_reason.is_none() {
        assert_eq!(
            amount, requested,
            "cashback_amount ≠ requested without a reason"
        );
    }
    assert_eq!(
        r.points.checked_add(r.bonus_points),
        Some(r.total_points),
        "total_points ≠ points + bonus_points"
    );
}

fn check_charter(c: &rihla_pricing::jet::Charter, items: &[&ItemLine], scale: Scale) {
    let what = |f: &str| format!("charter {:?}.{f}", c.item_id);
    for (f, v) in [
        ("flight_charge", c.flight_charge),
        ("surcharge_amount", c.surcharge_amount),
        ("empty_leg_discount", c.empty_leg_discount),
        ("operator_fees", c.operator_fees),
        ("subtotal", c.subtotal),
        ("tax", c.tax),
    ] {
        non_negative(v, scale, &what(f));
    }
    let discount = non_negative(c.discount, scale, &what("discount"));
    let total = non_negative(c.total, scale, &what("total"));
    let tax = minor_units(c.tax, scale, &what("tax"));
    let with_tax = non_negative(c.total_with_tax, scale, &what("total_with_tax"));
    assert_eq!(
        with_tax,
        total + tax,
        "{}",
        what("total_with_tax ≠ total + tax")
    );
    let split = sum(
        [
            non_negative(c.commission, scale, &what("commission")),
            non_negative(c.platform_fee, scale, &what("platform_fee")),
            non_negative(c.owner_earnings, scale, &what("owner_earnings")),
        ],
        "charter split",
    );
    assert_eq!(
        split,
        total,
        "{}",
        what("commission + platform_fee + owner_earnings ≠ total")
    );
    let mine: Vec<&&ItemLine> = items.iter().filter(|l| l.item_id == c.item_id).collect();
    let net = sum(mine.iter().map(|l| l.net.mantissa()), "charter net");
    assert_eq!(net, total, "{}", what("total ≠ Σ its lines' net"));
    let disc = sum(
        mine.iter()
            .map(|l| l.discount.mantissa() + l.voucher_discount.mantissa()),
        "charter discount",
    );
    assert_eq!(
        disc,
        discount,
        "{}",
        what("discount ≠ Σ its lines' discounts")
    );
    for f in &c.fees {
        non_negative(f.amount, scale, &what("fees[].amount"));
    }
    for l in &c.legs {
        for (f, v) in [
            ("legs[].flight_charge", l.flight_charge),
            ("legs[].surcharge", l.surcharge),
            ("legs[].empty_leg_discount", l.empty_leg_discount),
            ("legs[].charge", l.charge),
        ] {
            non_negative(v, scale, &what(f));
        }
    }
}

/// Asserts a voucher check's invariants: amounts at the currency's scale, a discount no
/// larger than the eligible amount, a normalised code, and JSON that reads back.
///
/// # Panics
/// On the first invariant that does not hold.
pub fn check_voucher_check(check: &VoucherCheck, currency: rihla_core::Currency) {
    let scale = Scale(currency.exponent());
    assert!(!check.code.is_empty(), "a voucher check with an empty code");
    if check.applies {
        let discount = check
            .discount
            .map(|d| non_negative(d, scale, "discount"))
            .unwrap_or_else(|| panic!("an applicable voucher without a discount"));
        if let Some(e) = check.eligible_amount {
            let eligible = non_negative(e, scale, "eligible_amount");
            assert!(
                discount <= eligible,
                "discount {discount} > eligible {eligible}"
            );
        }
    } else {
        assert!(
            check.discount.is_none(),
            "a voucher that does not apply has a discount"
        );
    }
    if let Some(r) = &check.reason {
        check_rejection(r, scale, "reason");
    }
    let value = check.to_value();
    assert!(
        value.is_object(),
        "a voucher check's JSON is not an object: {value}"
    );
}
