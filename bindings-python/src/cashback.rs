//! `rihla._rihla.CashbackRecord`: a membership cashback's state machine
//! (`rihla_ledger::CashbackRecord`) driving a `Ledger`. Conversion only: the record's JSON
//! and the requests go through the crate's serde forms; refusals raise with the crate's
//! `CashbackError::to_value`.

use std::sync::Mutex;

use pyo3::prelude::*;
use rihla_ledger::{BookCashback, CashbackClawback};
use serde::Serialize;

use crate::args;
use crate::boundary::guard;
use crate::ledger::{document, document_with, raise_value, with_lock, CASHBACK_LISTS};
use crate::to_python::to_python;

/// A cashback and its history: PENDING on booking, APPROVED after the hold, CREDITED once
/// into the wallet, CANCELLED before credit or CLAWED_BACK after it. The host stores it
/// (`to_dict`) and reads it back (`from_dict`); an operation the ledger refuses leaves it
/// unchanged.
#[pyclass(frozen, name = "CashbackRecord", module = "rihla._rihla")]
pub struct CashbackRecord {
    inner: Mutex<rihla_ledger::CashbackRecord>,
}

impl CashbackRecord {
    fn wrap(record: rihla_ledger::CashbackRecord) -> Self {
        CashbackRecord {
            inner: Mutex::new(record),
        }
    }
}

/// The ids of a record's ledger transfers.
#[derive(Serialize)]
struct TransferIds {
    hold: String,
    credit: String,
    cancel: String,
    clawback: String,
    debt: String,
}

#[pymethods]
impl CashbackRecord {
    /// Books a cashback (a pending transfer source → wallet): `(record, outcome)`.
    #[staticmethod]
    fn book<'py>(
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<(Self, Bound<'py, PyAny>)> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let request: BookCashback = document(py, request)?;
            let (record, outcome) = ledger
                .get()
                .with(py, |l| rihla_ledger::CashbackRecord::book(l, &request))?
                .map_err(|e| raise_value(py, e.to_value()))?;
            Ok((CashbackRecord::wrap(record), to_python(py, &outcome)?))
        })
    }

    /// A record from its `to_dict()` form.
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            document_with(py, data, CASHBACK_LISTS).map(CashbackRecord::wrap)
        })
    }

    /// The record as a `dict` (amounts `decimal.Decimal`, instants RFC 3339 `str`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let record = with_lock(py, &self.inner, |r| r.clone())?;
            to_python(py, &record)
        })
    }

    /// Where it stands: `"PENDING"`, `"APPROVED"`, `"CREDITED"`, `"CANCELLED"` or
    /// `"CLAWED_BACK"`.
    #[getter]
    fn status(&self, py: Python<'_>) -> PyResult<&'static str> {
        guard(py, || with_lock(py, &self.inner, |r| r.status.name()))
    }

    /// When approval without an override becomes possible (RFC 3339), or `None` before
    /// the booking's completion.
    fn eligible_at(&self, py: Python<'_>) -> PyResult<Option<String>> {
        guard(py, || {
            with_lock(py, &self.inner, |r| {
                r.eligible_at()
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            })
        })
    }

    /// The ids of its ledger transfers: `{"hold", "credit", "cancel", "clawback", "debt"}`.
    fn transfer_ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ids = with_lock(py, &self.inner, |r| TransferIds {
                hold: r.hold_transfer_id().to_string(),
                credit: r.credit_transfer_id().to_string(),
                cancel: r.cancel_transfer_id().to_string(),
                clawback: r.clawback_transfer_id().to_string(),
                debt: r.debt_transfer_id().to_string(),
            })?;
            to_python(py, &ids)
        })
    }

    /// Records the booking's completion at `at` (the hold runs from it).
    fn complete(&self, py: Python<'_>, at: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || {
            let at = args::instant(py, at, "at")?;
            with_lock(py, &self.inner, |r| r.complete(at))?
                .map_err(|e| raise_value(py, e.to_value()))
        })
    }

    /// Approves: after the hold, or at any time with `override_hold` (a `bool`) and an
    /// `actor`.
    #[pyo3(signature = (now, actor = None, override_hold = None))]
    fn approve(
        &self,
        py: Python<'_>,
        now: &Bound<'_, PyAny>,
        actor: Option<&Bound<'_, PyAny>>,
        override_hold: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        guard(py, || {
            let now = args::instant(py, now, "now")?;
            let actor = args::opt_text(py, actor, "actor")?;
            let override_hold = args::flag(py, override_hold, "override_hold")?;
            with_lock(py, &self.inner, |r| r.approve(now, &actor, override_hold))?
                .map_err(|e| raise_value(py, e.to_value()))
        })
    }

    /// Credits the wallet (posts the hold), exactly once: the ledger's outcome.
    fn credit<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let now = args::instant(py, now, "now")?;
            let outcome = ledger
                .get()
                .with_other(py, &self.inner, |r, l| r.credit(l, now))?
                .map_err(|e| raise_value(py, e.to_value()))?;
            to_python(py, &outcome)
        })
    }

    /// Cancels before credit (voids the hold): the ledger's outcome.
    #[pyo3(signature = (ledger, now, actor = None, reason = None))]
    fn cancel<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        actor: Option<&Bound<'py, PyAny>>,
        reason: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let now = args::instant(py, now, "now")?;
            let actor = args::opt_text(py, actor, "actor")?;
            let reason = args::opt_text(py, reason, "reason")?;
            let outcome = ledger
                .get()
                .with_other(py, &self.inner, |r, l| r.cancel(l, now, &actor, &reason))?
                .map_err(|e| raise_value(py, e.to_value()))?;
            to_python(py, &outcome)
        })
    }

    /// Claws back credited cashback (from the wallet, the rest as debt): the report.
    fn clawback<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let request: CashbackClawback = document(py, request)?;
            let report = ledger
                .get()
                .with_other(py, &self.inner, |r, l| r.clawback(l, &request))?
                .map_err(|e| raise_value(py, e.to_value()))?;
            to_python(py, &report)
        })
    }
}
