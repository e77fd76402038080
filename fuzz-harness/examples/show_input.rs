//! Prints what a fuzz input means, for triage: the JSON a structure-aware target builds
//! from the bytes (`quote_structured`: the request; `quote_rulebook_structured`: the
//! rulebook and the request; `ledger_structured`: the accounts and the calls), or the input
//! itself as text; then runs the target on it (a finding panics with its message).
//!
//! ```sh
//! cargo run -p rihla-fuzz-harness --example show_input -- quote_structured fuzz/regressions/quote_structured/crash-…
//! ```

use arbitrary::{Arbitrary, Unstructured};
use rihla_fuzz_harness::ledger_input::{LedgerInput, LedgerOp};
use rihla_fuzz_harness::quote_input::QuoteInput;
use rihla_fuzz_harness::rulebook_input::RulebookInput;
use serde_json::{json, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(target), Some(path)) = (args.next(), args.next()) else {
        return Err("usage: show_input TARGET FILE".into());
    };
    let data = std::fs::read(&path)?;
    let shown: Value = match target.as_str() {
        "quote_structured" => QuoteInput::arbitrary_take_rest(Unstructured::new(&data))
            .map(|q| q.to_json())
            .unwrap_or(Value::Null),
        "quote_rulebook_structured" => {
            let mut u = Unstructured::new(&data);
            match RulebookInput::arbitrary(&mut u) {
                Ok(rb) => json!({
                    "rulebook": rb.to_json(),
                    "request": QuoteInput::arbitrary_take_rest(u).map(|q| q.to_json()).unwrap_or(Value::Null),
                }),
                Err(_) => Value::Null,
            }
        }
        "ledger_structured" => match LedgerInput::arbitrary_take_rest(Unstructured::new(&data)) {
            Ok(l) => json!({
                "accounts": l.accounts.iter().map(|a| a.to_json()).collect::<Vec<_>>(),
                "ops": l.ops.iter().map(op_json).collect::<Vec<_>>(),
            }),
            Err(_) => Value::Null,
        },
        _ => Value::String(String::from_utf8_lossy(&data).into_owned()),
    };
    println!("{}", serde_json::to_string_pretty(&shown)?);
    let run = rihla_fuzz_harness::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .ok_or("no such target")?
        .1;
    run(&data);
    println!("no finding");
    Ok(())
}

fn op_json(op: &LedgerOp) -> Value {
    match op {
        LedgerOp::Apply(batch) => {
            json!({"apply": batch.iter().map(|t| t.to_json()).collect::<Vec<_>>()})
        }
        LedgerOp::CreateAccounts(a) => {
            json!({"create_accounts": a.iter().map(|a| a.to_json()).collect::<Vec<_>>()})
        }
        LedgerOp::Reverse(ids, at, reason) => json!({"reverse": {
            "transfer_ids": ids.iter().map(|i| i.0.clone()).collect::<Vec<_>>(),
            "at": at.0, "reason": reason.as_ref().map(|r| r.0.clone()),
        }}),
        LedgerOp::Close(id) => json!({"close": id.0}),
    }
}
