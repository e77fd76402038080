//! `cargo run --example charter`: the Umrah family charter priced on the default rulebook,
//! checked figure by figure; a bad request names its field.
//!
//! The figures, worked by hand (SUPER_MIDSIZE: 460 KTAS, 3 crew, daily minimum 2.0 h;
//! routing factor 1.05, taxi 12 min; rates SAR 33,750.00/h occupied, 26,000.00/h ferry):
//!
//! ```text
//! block RUH-JED = 851.8 km × 1.05 / (460 kt × 1.852) + 12/60
//!               = 894.39 / 851.92 + 0.2 = 1.04985… + 0.2 = 1.24985 h → billed 1.3 h
//!
//! #  leg            billable  rate       flight charge
//! 1  FERRY DXB-RUH  1.3 h  × 26,000.00 = 33,800.00
//! 2  RUH-JED (Fri)  1.3 h  × 33,750.00 = 43,875.00
//! 3  JED-MED (Sat)  0.6 h  × 33,750.00 = 20,250.00
//! 4  MED-RUH (Mon)  1.1 h  × 33,750.00 = 37,125.00
//! 5  FERRY RUH-DXB  1.3 h  × 26,000.00 = 33,800.00
//!    Sat top-up (2.0 − 0.6) = 1.4 h × 33,750.00 = 47,250.00
//!                                       ----------
//!    flight charge                      216,100.00   billable 5.6 + 1.4 = 7.0 h
//!
//! weekend (SA: Fri, Sat) 10 % × (43,875.00 + 20,250.00 + Sat top-up 47,250.00) = 11,137.50
//! fees: landing JED 1 × 1,900 + handling 5 landings × 3,000
//!       + crew 3 crew × 3 nights × 1,100 + catering 21 × 150 =  29,950.00
//!       (1,900 + 15,000 + 9,900 + 3,150)
//! subtotal = total before tax  216,100.00 + 11,137.50 + 29,950.00 = 257,187.50
//! VAT 15 % (domestic SA; KSA VAT taxes catering too) on 257,187.50
//!     per line: 227,237.50 × 15 % = 34,085.625 → 34,085.63; 285.00; 2,250.00; 1,485.00;
//!     472.50 = 38,578.13
//! final amount 257,187.50 + 38,578.13 = 295,765.63
//! split: commission 10 % = 25,718.75, platform fee 2 % = 5,143.75,
//!        owner 88 % = 226,325.00; sum 257,187.50 = the total before tax
//! ```

use rihla_core::Decimal;
use rihla_examples::charter_report::{price, run, CHARTER_UMRAH_JSON};
use rihla_pricing::jet::LegKind;
use rihla_pricing::Line;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn prices_the_umrah_charter() {
    let q = price(None).unwrap();
    assert_eq!(q.currency.code(), "SAR");
    assert_eq!(q.final_amount, d("295765.63"));
    assert_eq!(q.tax_amount, d("38578.13"));
    assert_eq!(q.charters.len(), 1);
    let ch = &q.charters[0];

    // Five flown legs: the positioning ferry DXB-RUH, three customer legs, the return
    // ferry RUH-DXB.
    let kinds: Vec<LegKind> = ch.legs.iter().map(|l| l.flown.kind).collect();
    assert_eq!(
        kinds,
        [
            LegKind::Repositioning,
            LegKind::Occupied,
            LegKind::Occupied,
            LegKind::Occupied,
            LegKind::Repositioning
        ]
    );
    let route: Vec<String> = ch
        .legs
        .iter()
        .map(|l| format!("{}-{}", l.flown.from, l.flown.to))
        .collect();
    assert_eq!(
        route,
        ["DXB-RUH", "RUH-JED", "JED-MED", "MED-RUH", "RUH-DXB"]
    );

    // Block time of RUH-JED (worked above) and each leg's flight charge.
    let ruh_jed = &ch.legs[1];
    assert_eq!(ruh_jed.flown.distance_km, d("851.8"));
    let exact = ruh_jed.flown.block_time.unwrap().block_hours_exact;
    assert_eq!(exact.round_dp(5), d("1.24985"));
    assert_eq!(ruh_jed.flown.billed_hours, d("1.3"));
    assert_eq!(ruh_jed.flight_charge, d("43875.00"));
    assert_eq!(ruh_jed.surcharge, d("4387.50"));
    let charges: Vec<Decimal> = ch.legs.iter().map(|l| l.flight_charge).collect();
    assert_eq!(
        charges,
        [
            d("33800.00"),
            d("43875.00"),
            d("20250.00"),
            d("37125.00"),
            d("33800.00")
        ]
    );
    for l in &ch.legs {
        assert_eq!(
            l.flight_charge,
            (l.rate * l.flown.billable_hours).round_dp(2)
        );
    }

    // Hours: 5.6 flown, 7.0 billable (the Saturday top-up of 1.4 h).
    assert_eq!(ch.flown_hours, d("5.6"));
    assert_eq!(ch.billable_hours, d("7.0"));
    let top_ups: Vec<Decimal> = ch.daily_minimums.iter().map(|m| m.top_up_hours).collect();
    assert_eq!(top_ups, [d("0.0"), d("1.4"), d("0.0")]);
    assert_eq!(ch.daily_minimums[1].charge, d("47250.00"));
    assert_eq!(ch.flight_charge, d("216100.00"));

    // Weekend surcharge on the Friday and Saturday customer legs and Saturday's top-up.
    assert_eq!(ch.surcharges.len(), 1);
    assert_eq!(ch.surcharges[0].id, "WEEKEND");
    assert_eq!(ch.surcharges[0].legs, [1, 2]);
    assert_eq!(ch.surcharges[0].days.len(), 1);
    assert_eq!(ch.daily_minimums[1].surcharge, d("4725.00"));
    assert_eq!(ch.surcharge_amount, d("11137.50"));

    // Fees.
    let fees: Vec<(&str, Decimal, Decimal)> = ch
        .fees
        .iter()
        .map(|f| (f.id.as_str(), f.count, f.amount))
        .collect();
    assert_eq!(
        fees,
        [
            ("LANDING-JED", d("1"), d("1900.00")),
            ("HANDLING", d("5"), d("15000.00")),
            ("CREW-NIGHTS", d("9"), d("9900.00")),
            ("CATERING", d("21"), d("3150.00")),
        ]
    );
    assert_eq!(ch.crew_nights, 3);
    assert_eq!(ch.operator_fees, d("29950.00"));

    // VAT: 15 % of everything, catering included (only the US FET leaves catering out).
    let vat: Vec<_> = q
        .lines
        .iter()
        .filter_map(|l| match l {
            Line::Tax(t) if t.code == "VAT" => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(vat.len(), 1);
    assert_eq!(vat[0].base, Some(d("257187.50")));
    assert_eq!(vat[0].amount, d("38578.13"));
    assert_eq!(ch.tax, d("38578.13"));

    // Totals and the split.
    assert_eq!(ch.subtotal, d("257187.50"));
    assert_eq!(ch.total, d("257187.50"));
    assert_eq!(ch.total_with_tax, q.final_amount);
    assert_eq!(ch.commission, d("25718.75"));
    assert_eq!(ch.platform_fee, d("5143.75"));
    assert_eq!(ch.owner_earnings, d("226325.00"));
    assert_eq!(
        ch.commission + ch.platform_fee + ch.owner_earnings,
        ch.total
    );
}

#[test]
fn prints_the_breakdown() {
    let text = run(None, false).unwrap();
    for expected in [
        "JET-1 · aircraft A6-CLX (SUPER_MIDSIZE)",
        " 1 FERRY DXB-RUH Fri 2026-12-04 06:43 +03:00",
        " 2 OCC   RUH-JED Fri 2026-12-04 09:00 +03:00   7   851.8   1.2499 1:14:59    1.3      1.3  33750.00    43875.00    4387.50       0.00    48262.50",
        "Sat 2026-12-05  billable  0.6 h  minimum  2.0 h  top-up  1.4 h  charge    47250.00 SAR",
        "WEEKEND (Weekend departure): 10 % of the flight charge of leg #2, leg #3, Sat 2026-12-05 top-up = 11137.50 SAR",
        "CATERING       CATERING        PER_PASSENGER_LEG        21 ×    150.00 =    3150.00 SAR",
        "tax VAT (KSA-VAT-15-AIR) 15 % of 257187.50        38578.13 SAR",
        "commission 10 %                                   25718.75 SAR",
        "owner earnings                                   226325.00 SAR",
        "final amount           295765.63 SAR",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn json_output_is_the_quote() {
    let v: serde_json::Value = serde_json::from_str(&run(None, true).unwrap()).unwrap();
    assert_eq!(v["final_amount"], "295765.63");
    assert_eq!(v["charters"][0]["billable_hours"], "7.0");
    assert_eq!(v["charters"][0]["legs"].as_array().map(Vec::len), Some(5));
    assert_eq!(v["charters"][0]["owner_earnings"], "226325.00");
}

#[test]
fn quotes_another_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/charter_gulf_5legs.json");
    let q = price(Some(path)).unwrap();
    let ch = &q.charters[0];
    // Five customer legs and the two ferries from and back to the Doha base.
    assert_eq!(ch.legs.len(), 7);
    assert_eq!(ch.billable_hours, d("12.5"));
    assert_eq!(
        ch.commission + ch.platform_fee + ch.owner_earnings,
        ch.total
    );
    assert!(run(Some(path), false).unwrap().contains("A7-FLX (HEAVY)"));
}

#[test]
fn a_bad_request_file_names_the_field() {
    let path = std::env::temp_dir().join(format!("rihla-charter-bad-{}.json", std::process::id()));
    let bad = CHARTER_UMRAH_JSON.replacen(r#""passengers": 7"#, r#""passengers": 0"#, 1);
    std::fs::write(&path, bad).unwrap();
    let err = run(path.to_str(), false).unwrap_err();
    std::fs::remove_file(&path).ok();
    assert!(
        err.contains("[INVALID_REQUEST]") && err.contains("items[0].jet.legs[0].passengers"),
        "{err}"
    );
    assert!(run(Some("/nonexistent/charter.json"), false)
        .unwrap_err()
        .contains("cannot read"));
}
