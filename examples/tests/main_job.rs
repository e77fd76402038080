//! The README's main job prints the family quote; a bad request names its field.

use rihla_examples::report::run;

#[test]
fn prints_the_family_quote() {
    let text = run(None, false).unwrap();
    for expected in [
        "FLT-DAC-JED/INF",
        "OFF-MAKKAH-HOTEL-10: 10 % of 9520.00 SAR = -500.00 SAR [CAPPED_MAX_DISCOUNT; requested 952.00]",
        "V-UMRAH150 (code UMRAH150)",
        "final amount           17997.41 SAR",
        "points   2698 = floor(17997.41 SAR / 10) = 1799 base points × 1.50",
        "cashback 899.87 SAR",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn json_output_is_the_quote() {
    let v: serde_json::Value = serde_json::from_str(&run(None, true).unwrap()).unwrap();
    assert_eq!(v["final_amount"], "17997.41");
    assert_eq!(v["rewards"]["total_points"], 2698);
}

#[test]
fn a_bad_request_file_names_the_field() {
    let path = std::env::temp_dir().join(format!("rihla-bad-{}.json", std::process::id()));
    std::fs::write(
        &path,
        r#"{"currency": "SAR", "now": "2026-11-22T00:00:00Z", "items": [{"id": "A", "category": "HOTEL", "unit_price": "-1.00"}]}"#,
    )
    .unwrap();
    let err = run(path.to_str(), false).unwrap_err();
    std::fs::remove_file(&path).ok();
    assert!(
        err.contains("[INVALID_AMOUNT]") && err.contains("items[0].unit_price"),
        "{err}"
    );
    assert!(run(Some("/nonexistent/rihla.json"), false)
        .unwrap_err()
        .contains("cannot read"));
}
