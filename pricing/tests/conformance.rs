//! Runs the shared conformance vectors (`vectors/*.json` at the repository root, and every
//! `*.json` under the directories named by `RIHLA_VECTORS`, separated by `:`) against the
//! Rust API. The same files are run by pytest and by `node --test` (docs/conformance.md).

use rihla_core::{allocate, decimal_string, Currency, Money};
use rihla_pricing::{
    EntitlementRequest, Error, QuoteRequest, ReferralRequest, Rulebook, UpgradeRequest,
};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn vector_files() -> Vec<PathBuf> {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors")];
    if let Ok(extra) = std::env::var("RIHLA_VECTORS") {
        dirs.extend(
            extra
                .split(':')
                .filter(|s| !s.is_empty())
                .map(PathBuf::from),
        );
    }
    let mut files = Vec::new();
    for dir in dirs {
        collect(&dir, &mut files);
    }
    files.sort();
    files
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read vector directory {}", dir.display())
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// The case's rulebook: `"default"` or the rulebook's JSON object.
fn rulebook_of(input: &Value) -> Result<Rulebook, Error> {
    match &input["rulebook"] {
        Value::String(s) if s == "default" => Rulebook::default_rulebook(),
        v => Rulebook::from_value(v.clone()),
    }
}

/// Runs one operation; `Err` carries the error's JSON (`{"code", …}`).
fn run(op: &str, input: &Value) -> Result<Value, Value> {
    let err = |e: Error| e.to_value();
    match op {
        "quote" => {
            let rulebook = match &input["rulebook"] {
                Value::String(s) if s == "default" => Rulebook::default_rulebook(),
                v => Rulebook::from_value(v.clone()),
            }
            .map_err(err)?;
            let request = QuoteRequest::from_value(input["request"].clone()).map_err(err)?;
            Ok(rulebook.quote(&request).map_err(err)?.to_value())
        }
        "check_voucher" => {
            let rulebook = match &input["rulebook"] {
                Value::String(s) if s == "default" => Rulebook::default_rulebook(),
                v => Rulebook::from_value(v.clone()),
            }
            .map_err(err)?;
            let request = QuoteRequest::from_value(input["request"].clone()).map_err(err)?;
            let code = input["code"].as_str().unwrap_or_default();
            Ok(rulebook
                .check_voucher(&request, code)
                .map_err(err)?
                .to_value())
        }
        "allocate" => {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            let amount_error = |reason: String| json!({"code": "INVALID_AMOUNT", "reason": reason});
            let amount = decimal_string::parse(&text(&input["amount"])).map_err(amount_error)?;
            let currency =
                Currency::from_code(&text(&input["currency"])).map_err(|e| err(e.into()))?;
            let weights = input["weights"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|w| decimal_string::parse(&text(w)))
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap_or(Ok(vec![]))
                .map_err(amount_error)?;
            let parts =
                allocate(Money::new(amount, currency), &weights).map_err(|e| err(e.into()))?;
            Ok(json!({"parts": parts.iter().map(|p| p.amount.to_string()).collect::<Vec<_>>()}))
        }
        "check_entitlement" => {
            let rulebook = rulebook_of(input).map_err(err)?;
            let request = EntitlementRequest::from_value(input["request"].clone()).map_err(err)?;
            Ok(rulebook
                .check_entitlement(&request)
                .map_err(err)?
                .to_value())
        }
        "upgrade_price" => {
            let rulebook = rulebook_of(input).map_err(err)?;
            let request = UpgradeRequest::from_value(input["request"].clone()).map_err(err)?;
            Ok(rulebook.upgrade_price(&request).map_err(err)?.to_value())
        }
        "referral_rewards" => {
            let rulebook = rulebook_of(input).map_err(err)?;
            let request = ReferralRequest::from_value(input["request"].clone()).map_err(err)?;
            Ok(rulebook.referral_rewards(&request).map_err(err)?.to_value())
        }
        "tier_for_points" => {
            let rulebook = rulebook_of(input).map_err(err)?;
            let points = input["lifetime_points"].as_u64().ok_or_else(|| {
                json!({"code": "INVALID_REQUEST", "field": "lifetime_points",
                       "reason": "a non-negative integer"})
            })?;
            Ok(json!({"tier": rulebook.tier_for_points(points).code()}))
        }
        "charter_availability" => {
            let rulebook = rulebook_of(input).map_err(err)?;
            let itinerary = rihla_pricing::jet::Itinerary::from_value(input["itinerary"].clone())
                .map_err(err)?;
            Ok(rulebook
                .charter_availability(&itinerary)
                .map_err(err)?
                .to_value())
        }
        "ledger_apply" => ledger_apply(input),
        other => Err(json!({"code": "UNKNOWN_OP", "op": other})),
    }
}

/// The ledger suite: create `accounts`, apply each of `batches`, report every result, the
/// accounts (by id) and the journal head; the ledger must restore from its own snapshot.
fn ledger_apply(input: &Value) -> Result<Value, Value> {
    use rihla_ledger::{Account, Ledger, Transfer};
    let bad = |e: serde_json::Error| json!({"code": "INVALID_REQUEST", "reason": e.to_string()});
    let accounts: Vec<Account> = serde_json::from_value(input["accounts"].clone()).map_err(bad)?;
    let mut ledger = Ledger::new();
    let created: Vec<Value> = ledger
        .create_accounts(&accounts)
        .into_iter()
        .map(|r| match r {
            Ok(o) => json!(o.as_str()),
            Err(e) => json!(e.code()),
        })
        .collect();
    let mut results = Vec::new();
    for batch in input["batches"].as_array().into_iter().flatten() {
        let batch: Vec<Transfer> = serde_json::from_value(batch.clone()).map_err(bad)?;
        let r = ledger
            .apply(&batch)
            .map_err(|e| json!({"code": "BATCH_TOO_LARGE", "reason": e.to_string()}))?;
        results.push(json!(rihla_ledger::report::reports(&batch, &r)));
    }
    // The ledger restores from its own snapshot: the same accounts, journal and hash.
    let restored = ledger
        .snapshot()
        .and_then(|s| Ledger::restore(&s))
        .map_err(|e| json!({"code": "SNAPSHOT_FAILED", "reason": e.to_string()}))?;
    if restored.entries() != ledger.entries() || !restored.accounts().eq(ledger.accounts()) {
        return Err(json!({"code": "SNAPSHOT_DIFFERS"}));
    }
    let mut states: Vec<_> = ledger.accounts().collect();
    states.sort_by_key(|a| a.account.id);
    Ok(json!({
        "accounts_created": created,
        "results": results,
        "accounts": states,
        "entries": ledger.entries().len(),
        "last_hash": hex_of(&ledger.last_hash()),
    }))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `expected` ⊆ `actual`: objects by key, arrays element-wise with equal length, scalars equal.
fn subset(expected: &Value, actual: &Value, path: &str, problems: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => subset(ev, av, &format!("{path}.{k}"), problems),
                    None => problems.push(format!("{path}.{k}: missing (expected {ev})")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                problems.push(format!(
                    "{path}: {} elements, expected {}",
                    a.len(),
                    e.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(ev, av, &format!("{path}[{i}]"), problems);
            }
        }
        (e, a) if e == a => {}
        (e, a) => problems.push(format!("{path}: got {a}, expected {e}")),
    }
}

#[test]
fn conformance_vectors() {
    let files = vector_files();
    assert!(!files.is_empty(), "no conformance vectors found");
    let (mut passed, mut failures) = (0usize, Vec::new());
    for file in files {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let suite = doc["suite"].as_str().unwrap_or("?").to_owned();
        for case in doc["cases"].as_array().unwrap_or(&vec![]) {
            let id = format!("{suite}/{}", case["id"].as_str().unwrap_or("?"));
            // A case needing a feature this build lacks (or does not know) is skipped.
            let lacking = case["features"].as_array().is_some_and(|f| {
                f.iter()
                    .any(|x| !(x == "airports" && rihla_pricing::jet::airport::table_available()))
            });
            if lacking {
                continue;
            }
            let result = run(case["op"].as_str().unwrap_or(""), &case["input"]);
            let mut problems = Vec::new();
            match (&case["expect"]["ok"], &case["expect"]["error"], &result) {
                (ok, Value::Null, Ok(actual)) if !ok.is_null() => {
                    subset(ok, actual, "$", &mut problems)
                }
                (Value::Null, error, Err(actual)) if !error.is_null() => {
                    subset(error, actual, "$", &mut problems)
                }
                (_, _, Ok(actual)) => problems.push(format!("expected an error, got {actual}")),
                (_, _, Err(actual)) => problems.push(format!("unexpected error {actual}")),
            }
            if problems.is_empty() {
                passed += 1;
            } else {
                failures.push(format!("{id}:\n    {}", problems.join("\n    ")));
                if std::env::var_os("RIHLA_VECTORS_VERBOSE").is_some() {
                    eprintln!(
                        "{id} actual: {}",
                        serde_json::to_string_pretty(&result.unwrap_or_else(|e| e))
                            .unwrap_or_default()
                    );
                }
            }
        }
    }
    println!("conformance: {passed} passed, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{} vector(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
