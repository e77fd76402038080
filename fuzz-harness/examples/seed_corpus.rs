//! Writes the seed inputs of every fuzz target into a corpus directory (default
//! `fuzz/corpus`), one file per seed, from the conformance vectors (`vectors/*.json`), the
//! shipped requests (`examples/data/*.json`), the default rulebook, ledgers replayed from
//! the ledger vectors (plan inputs, journals), and scenarios of the points, refund, webhook
//! and cashback documents. Existing files are kept; `scripts/fuzz --seed` runs it, then
//! `cargo fuzz cmin` minimises.
//!
//! ```sh
//! cargo run -p rihla-fuzz-harness --example seed_corpus -- fuzz/corpus
//! ```

use rihla_ledger::{Account, Ledger, Transfer};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

type Res<T> = Result<T, Box<dyn Error>>;

fn main() -> Res<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::env::args()
        .nth(1)
        .map_or_else(|| root.join("fuzz/corpus"), PathBuf::from);
    let mut seeds = Seeds::default();
    vectors(&root, &mut seeds)?;
    examples(&root, &mut seeds)?;
    seeds.add(
        "rulebook_load",
        "default",
        rihla_pricing::DEFAULT_RULEBOOK_JSON.to_owned(),
    );
    structured(&mut seeds);
    documents(&mut seeds);
    let mut written = 0;
    for (target, name, text) in &seeds.0 {
        let dir = out.join(target);
        fs::create_dir_all(&dir)?;
        // A seed already there under any name (a minimised corpus names files by hash).
        let present = fs::read_dir(&dir)?
            .filter_map(|e| e.ok())
            .any(|e| fs::read(e.path()).is_ok_and(|c| &c == text));
        let path = dir.join(format!("seed-{name}"));
        if !present && !path.exists() {
            fs::write(&path, text)?;
            written += 1;
        }
    }
    println!("{written} seed files written under {}", out.display());
    Ok(())
}

/// `(target, name, content)`, deduplicated by target and content.
#[derive(Default)]
struct Seeds(Vec<(String, String, Vec<u8>)>, BTreeSet<(String, Vec<u8>)>);

impl Seeds {
    fn add(&mut self, target: &str, name: &str, text: impl Into<Vec<u8>>) {
        let text = text.into();
        if self.1.insert((target.to_owned(), text.clone())) {
            let name: String = name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            self.0.push((target.to_owned(), name, text));
        }
    }
}

fn vectors(root: &Path, seeds: &mut Seeds) -> Res<()> {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join("vectors"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        let suite: Value = serde_json::from_str(&fs::read_to_string(&file)?)?;
        for case in suite["cases"].as_array().into_iter().flatten() {
            let id = case["id"].as_str().unwrap_or("case");
            let op = case["op"].as_str().unwrap_or("");
            let input = &case["input"];
            if let Some(rb) = input.get("rulebook").filter(|r| r.is_object()) {
                seeds.add("rulebook_load", id, rb.to_string());
            }
            match op {
                "quote" => {
                    let default = input["rulebook"] == json!("default");
                    if default {
                        seeds.add("quote_json", id, input["request"].to_string());
                    }
                    seeds.add("quote_envelope", id, input.to_string());
                    if let Some(items) = input["request"]["items"].as_array() {
                        for item in items.iter().filter(|i| i.get("jet").is_some()) {
                            let env =
                                json!({"rulebook": input["rulebook"], "itinerary": item["jet"]});
                            seeds.add("charter_availability", id, env.to_string());
                        }
                    }
                }
                "check_voucher" => seeds.add("check_voucher", id, input.to_string()),
                "charter_availability" => {
                    seeds.add("charter_availability", id, input.to_string());
                }
                "check_entitlement" | "upgrade_price" | "referral_rewards" | "tier_for_points" => {
                    let mut env = input.clone();
                    env["op"] = json!(op);
                    seeds.add("membership", id, env.to_string());
                }
                "ledger_apply" => ledger_seeds(id, input, seeds)?,
                "allocate" => seeds.add("allocate", id, input.to_string()),
                _ => {}
            }
        }
    }
    Ok(())
}

/// The ledger vector itself, and what replaying it gives: each batch's plan input and
/// the journal with its accounts.
fn ledger_seeds(id: &str, input: &Value, seeds: &mut Seeds) -> Res<()> {
    seeds.add("ledger_json", id, input.to_string());
    let accounts: Vec<Account> = serde_json::from_value(input["accounts"].clone())?;
    let mut ledger = Ledger::new();
    ledger.create_accounts(&accounts);
    for (i, batch) in input["batches"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let batch: Vec<Transfer> = serde_json::from_value(batch.clone())?;
        let plan_input = ledger.plan_input(&batch);
        seeds.add(
            "planner_json",
            &format!("{id}-{i}"),
            serde_json::to_string(&plan_input)?,
        );
        ledger.apply(&batch).map_err(|e| e.to_string())?;
    }
    let mut journal = serde_json::to_string(&input["accounts"])?;
    journal.push('\n');
    for e in ledger.entries() {
        journal.push_str(&serde_json::to_string(e)?);
        journal.push('\n');
    }
    seeds.add("audit_jsonl", id, journal);
    Ok(())
}

fn examples(root: &Path, seeds: &mut Seeds) -> Res<()> {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join("examples/data"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for file in files {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("example");
        let request: Value = serde_json::from_str(&fs::read_to_string(&file)?)?;
        seeds.add("quote_json", name, request.to_string());
        let env = json!({"rulebook": "default", "request": request, "code": "umrah150"});
        seeds.add("check_voucher", name, env.to_string());
        for item in request["items"].as_array().into_iter().flatten() {
            if let Some(jet) = item.get("jet") {
                let env = json!({"rulebook": "default", "itinerary": jet});
                seeds.add("charter_availability", name, env.to_string());
            }
        }
    }
    Ok(())
}

/// A few deterministic byte strings for the structure-aware targets (libFuzzer grows
/// the rest).
fn structured(seeds: &mut Seeds) {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for target in [
        "quote_structured",
        "quote_rulebook_structured",
        "ledger_structured",
    ] {
        for (i, len) in [64usize, 256, 1024].into_iter().enumerate() {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state.to_le_bytes()[0]
                })
                .collect();
            seeds.add(target, &format!("bytes-{i}"), bytes);
        }
    }
}

const AT: &str = "2026-11-22T09:00:00Z";

fn sar_accounts() -> Value {
    json!([
        {"id": "1", "unit": "SAR", "normal": "DEBIT", "code": "BANK"},
        {"id": "5", "unit": "SAR", "normal": "DEBIT", "code": "CASHBACK_EXPENSE"},
        {"id": "9", "unit": "SAR", "normal": "DEBIT", "code": "PSP_CLEARING"},
        {"id": "1001", "unit": "SAR", "must_not_go_negative": true, "code": "WALLET", "owner": "CUST-10442"},
        {"id": "1101", "unit": "SAR", "normal": "DEBIT", "code": "DEBT", "owner": "CUST-10442"},
        {"id": "2001", "unit": "SAR", "code": "MERCHANT"}
    ])
}

fn sar_transfers() -> Value {
    json!([
        {"id": "1", "debit_account_id": "1", "credit_account_id": "1001", "amount": "5000.00",
         "unit": "SAR", "code": "DEPOSIT", "at": AT, "reference": "TOPUP-1"},
        {"id": "2", "debit_account_id": "1001", "credit_account_id": "2001", "amount": "1250.50",
         "unit": "SAR", "code": "PAYMENT", "at": AT, "reference": "BK-1"}
    ])
}

/// Scenarios of the stored documents, after the bindings' tests.
fn documents(seeds: &mut Seeds) {
    let earn = |id: &str, amount: &str, at: &str| json!({"earn": {"id": id, "from": "10", "to": "501", "amount": amount, "unit": "POINTS", "at": at}});
    let redeem = |id: &str, amount: &str, at: &str| json!({"redeem": {"id": id, "account": "501", "to": "20", "amount": amount, "unit": "POINTS", "at": at}});
    let points = json!({
        "accounts": points_accounts_value(), "unit": "POINTS",
        "steps": [
            earn("7001", "1500", "2028-02-29T10:00:00Z"),
            {"earn": {"id": "7002", "from": "10", "to": "501", "amount": "400", "unit": "POINTS",
                      "at": "2028-03-01T10:00:00Z", "expires_at": "2028-06-01T00:00:00Z", "reference": "BKG-1042"}},
            earn("7001", "1500", "2028-02-29T10:00:00Z"),
            redeem("8001", "500", "2028-03-02T10:00:00Z"),
            redeem("8002", "1401", "2028-03-02T10:00:00Z"),
            {"available": {"account": "501", "at": "2028-03-02T10:00:00Z"}},
            {"clawback": {"id": "9101", "lot": "7001", "refunded": "250.00", "paid": "1000.00",
                          "at": "2028-05-01T00:00:00Z", "debt_account": "601", "reference": "RF-55"}},
            {"expire": "2029-02-28T10:00:00Z"},
            {"expire": "2029-03-01T00:00:00Z"}
        ]
    });
    seeds.add(
        "points_json",
        "earn-redeem-clawback-expire",
        points.to_string(),
    );
    // The same book stored after two earns, loaded back, then redeemed from.
    let mut ledger = Ledger::new();
    let accounts: Vec<Account> =
        serde_json::from_value(points_accounts_value()).unwrap_or_default();
    ledger.create_accounts(&accounts);
    let mut book = rihla_ledger::PointsBook::new(rihla_ledger::Unit::Points { scale: 0 });
    for step in [
        earn("7001", "1500", "2028-02-29T10:00:00Z"),
        earn("7002", "400", "2028-03-01T10:00:00Z"),
    ] {
        if let Ok(r) = serde_json::from_value::<rihla_ledger::EarnRequest>(step["earn"].clone()) {
            let _ = book.earn(&mut ledger, &r);
        }
    }
    let stored = json!({
        "accounts": points_accounts_value(),
        "transfers": ledger.entries().iter().map(|e| serde_json::to_value(&e.transfer).unwrap_or(Value::Null)).collect::<Vec<_>>(),
        "book": serde_json::to_value(&book).unwrap_or(Value::Null),
        "steps": [redeem("8001", "500", "2028-03-02T10:00:00Z"), {"expire": "2029-03-01T00:00:00Z"}]
    });
    seeds.add("points_json", "stored-book", stored.to_string());

    let refund = |id: &str, amount: &str| json!({"refund": {"id": id, "payment_id": "2", "amount": amount, "at": "2026-11-23T09:00:00Z", "reference": "RF-1"}});
    let refunds = json!({
        "accounts": sar_accounts(), "transfers": sar_transfers(),
        "steps": [refund("50", "250.00"), refund("50", "250.00"), refund("51", "1000.50"),
                  refund("52", "0.01"), refund("53", "0.001"), refund("54", "-1.00")]
    });
    seeds.add("refunds_json", "partial-full-exceeds", refunds.to_string());
    let receipts = json!({
        "accounts": sar_accounts(), "transfers": sar_transfers(),
        "receipts": [{"refund_id": "50", "payment_id": "2", "unit": "SAR", "amount": "25000",
                      "paid": "125050", "refunded": "25000", "reference": "RF-1",
                      "outcome": {"status": "CREATED", "seq": 3}}],
        "steps": [refund("50", "250.00"), refund("51", "1000.50"), refund("52", "0.01")]
    });
    seeds.add("refunds_json", "from-receipts", receipts.to_string());

    let registration = json!({"register": {"provider": "moyasar", "payment_ref": "pay_77", "unit": "SAR",
        "amount": "1250.50", "clearing_account_id": "9", "credit_account_id": "1001", "reference": "BK-1"}});
    let event = |id: &str, kind: &str, amount: Option<&str>| {
        let mut e = json!({"provider": "moyasar", "event_id": id, "payment_ref": "pay_77", "kind": kind,
                           "unit": "SAR", "at": AT});
        if let Some(a) = amount {
            e["amount"] = json!(a);
        }
        json!({"event": e})
    };
    let webhook = json!({
        "accounts": sar_accounts(),
        "steps": [event("evt_0", "REFUNDED", Some("100.00")), event("evt_1", "AUTHORIZED", Some("1250.50")),
                  registration.clone(), event("evt_2", "CAPTURED", Some("1250.50")),
                  event("evt_2", "CAPTURED", Some("1250.50")), event("evt_3", "REFUNDED", Some("250.00")),
                  event("evt_4", "REFUNDED", Some("2000.00")), "retry", event("evt_5", "FAILED", None)]
    });
    seeds.add("webhook_json", "defer-capture-refund", webhook.to_string());
    let early = json!({
        "accounts": sar_accounts(),
        "steps": [event("evt_1", "CAPTURED", Some("1250.50")), event("evt_2", "REFUNDED", Some("0.01")),
                  registration, "retry"]
    });
    seeds.add(
        "webhook_json",
        "events-before-registration",
        early.to_string(),
    );

    let book_request = json!({"id": "3001", "reference": "BKG-1042", "wallet": "1001", "source": "5",
                              "amount": "899.87", "unit": "SAR", "at": AT, "hold_days": 7});
    let cashback = json!({
        "accounts": sar_accounts(), "book": book_request,
        "steps": [{"approve": {"now": "2026-11-26T09:00:00Z", "actor": "system"}},
                  {"complete": "2026-11-25T09:00:00Z"},
                  {"approve": {"now": "2026-12-02T08:59:59Z", "actor": "system"}},
                  {"approve": {"now": "2026-12-02T09:00:00Z", "actor": "system"}},
                  {"credit": "2026-12-02T09:00:00Z"}, {"credit": "2026-12-02T09:00:00Z"},
                  {"clawback": {"at": "2026-12-10T09:00:00Z", "amount": "899.87", "unit": "SAR",
                                "debt_account": "1101", "actor": "ops", "reason": "refund"}}]
    });
    seeds.add(
        "cashback_json",
        "book-approve-credit-clawback",
        cashback.to_string(),
    );
    let cancel = json!({
        "accounts": sar_accounts(), "book": book_request,
        "steps": [{"approve": {"now": "2026-11-23T09:00:00Z", "actor": "ops", "override": true}},
                  {"cancel": {"now": "2026-11-24T09:00:00Z", "actor": "ops", "reason": "booking cancelled"}},
                  {"credit": "2026-11-25T09:00:00Z"}]
    });
    seeds.add("cashback_json", "override-cancel", cancel.to_string());
}

fn points_accounts_value() -> Value {
    json!([
        {"id": "10", "unit": "POINTS", "normal": "DEBIT", "code": "POINTS_ISSUER"},
        {"id": "501", "unit": "POINTS", "must_not_go_negative": true, "code": "POINTS", "owner": "CUST-10442"},
        {"id": "601", "unit": "POINTS", "normal": "DEBIT", "code": "POINTS_DEBT", "owner": "CUST-10442"},
        {"id": "20", "unit": "POINTS", "code": "POINTS_REDEEMED"}
    ])
}
