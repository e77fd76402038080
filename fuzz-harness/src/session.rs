//! A ledger driven call by call as a host drives it, each call's JSON read on its own (a
//! malformed account or transfer is left out, as the host's own parse would refuse it),
//! every refusal's code checked, and every batch also planned by the stateless planner
//! from the ledger's own snapshot: the plan must give the same results and, committed to
//! a copy, the same journal.

use crate::invariants::{check_code, check_ledger, check_value_code};
use rihla_ledger::{Account, Id, Ledger, ReversalRequest, Transfer};
use serde_json::Value;

/// A ledger and the accounts created on it, in order (what its journal audits against).
#[derive(Debug, Default)]
pub struct Session {
    /// The ledger.
    pub ledger: Ledger,
    /// Every account given to `create_accounts`, in order.
    pub created: Vec<Account>,
}

impl Session {
    /// An empty ledger.
    pub fn new() -> Session {
        Session::default()
    }

    /// `create_accounts` of the accounts of `values` that read; refusals' codes checked.
    pub fn create_accounts(&mut self, values: &[Value]) {
        let accounts: Vec<Account> = values
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect();
        for r in self.ledger.create_accounts(&accounts) {
            if let Err(e) = r {
                check_value_code(&e.to_value(), e.code(), "create_accounts");
            }
        }
        self.created.extend(accounts);
    }

    /// The transfers of `values` that read.
    pub fn transfers(values: &[Value]) -> Vec<Transfer> {
        values
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect()
    }

    /// Applies `batch`, after planning it from this ledger's snapshot: the plan's results
    /// must be the ledger's, and the plan committed to a copy must leave the copy's journal
    /// as the ledger's.
    pub fn apply(&mut self, batch: &[Transfer]) {
        let input = self.ledger.plan_input(batch);
        let plan = rihla_ledger::plan(&input);
        let results = match self.ledger.apply(batch) {
            Ok(r) => r,
            Err(e) => {
                assert!(
                    plan.is_err(),
                    "the planner planned a batch apply refused: {e}"
                );
                return;
            }
        };
        for r in &results {
            if let Err(e) = r {
                check_value_code(&e.to_value(), e.code(), "apply");
            }
        }
        let plan = plan.unwrap_or_else(|e| panic!("apply took a batch the planner refused: {e}"));
        assert_eq!(
            plan.results(),
            results.as_slice(),
            "the planner's results differ from the ledger's"
        );
        serde_json::to_string(&plan).unwrap_or_else(|e| panic!("a plan does not serialise: {e}"));
    }

    /// Applies `batch` after committing its plan to a copy of the ledger, and compares the
    /// two journals (more costly than [`Session::apply`]: a copy per batch).
    pub fn apply_and_commit(&mut self, batch: &[Transfer]) {
        let mut copy = self.ledger.clone();
        let plan = rihla_ledger::plan(&copy.plan_input(batch));
        self.apply(batch);
        if let Ok(plan) = plan {
            copy.commit_plan(&plan)
                .unwrap_or_else(|e| panic!("a fresh plan does not commit: {e}"));
            assert_eq!(
                copy.entries(),
                self.ledger.entries(),
                "a committed plan's journal differs from apply's"
            );
            assert_eq!(
                copy.last_hash(),
                self.ledger.last_hash(),
                "journal heads differ"
            );
        }
    }

    /// `reverse` of `transfer_ids` (those that read) at `at` (an RFC 3339 instant).
    pub fn reverse(&mut self, transfer_ids: &[String], at: &str, reason: &str) {
        // As the bindings read it: rihla's strict reader.
        let Ok(at) = rihla_core::time::utc::parse(at) else {
            return;
        };
        let transfer_ids = transfer_ids
            .iter()
            .filter_map(|t| Id::parse(t).ok())
            .collect();
        let request = ReversalRequest {
            transfer_ids,
            at,
            reason: reason.to_owned(),
        };
        if let Err(e) = self.ledger.reverse(&request) {
            check_code(e.code(), "reverse");
        }
    }

    /// Reads every account's first statement page.
    pub fn statements(&self) {
        let ids: Vec<Id> = self.ledger.accounts().map(|a| a.account.id).collect();
        for id in ids {
            if let Err(e) = self
                .ledger
                .statement(id, 1, rihla_ledger::MAX_STATEMENT_LINES)
            {
                check_code(e.code(), "statement");
            }
        }
    }

    /// The ledger's invariants ([`check_ledger`]).
    pub fn check(&self) {
        check_ledger(&self.ledger, &self.created);
    }
}
