//! `rihla._rihla.PointsBook`: loyalty points lots (`rihla_ledger::PointsBook`) driving a
//! `Ledger`. Conversion only: requests and the book's own JSON go through the crate's serde
//! forms (amounts as decimals at the points unit's scale), refusals raise with the crate's
//! `PointsError::to_value`.

use std::sync::Mutex;

use pyo3::prelude::*;
use rihla_ledger::{ClawbackRequest, EarnRequest, RedeemRequest, Unit};
use serde_json::Value;

use crate::args;
use crate::boundary::guard;
use crate::ledger::{deserialize, document, document_with, raise_value, with_lock, BOOK_LISTS};
use crate::to_python::to_python;
use crate::Amount;

/// The lots, redemptions and clawbacks of the points accounts of one points unit. It
/// drives a `Ledger` (one transfer or linked chain per operation) and changes only when the
/// ledger accepted the operation.
#[pyclass(frozen, name = "PointsBook", module = "rihla._rihla")]
pub struct PointsBook {
    inner: Mutex<rihla_ledger::PointsBook>,
}

impl PointsBook {
    fn wrap(book: rihla_ledger::PointsBook) -> Self {
        PointsBook {
            inner: Mutex::new(book),
        }
    }

    /// `v` minor units of the book's unit as a `decimal.Decimal`.
    fn amount<'py>(
        &self,
        py: Python<'py>,
        v: impl FnOnce(&rihla_ledger::PointsBook) -> u128 + Send,
    ) -> PyResult<Bound<'py, PyAny>> {
        let d = with_lock(py, &self.inner, |b| {
            rihla_ledger::amount::to_decimal(b.unit(), v(b))
        })?;
        to_python(py, &Amount(d))
    }
}

/// A unit given as its text (`"POINTS"`, `"POINTS:2"`, `"SAR"`).
fn unit_arg(py: Python<'_>, unit: &Bound<'_, PyAny>) -> PyResult<Unit> {
    let text = args::text(py, unit, "unit")?;
    deserialize(py, Value::String(text), "unit")
}

#[pymethods]
impl PointsBook {
    /// An empty book of `unit` (`"POINTS"`, `"POINTS:2"` …).
    #[new]
    fn new(py: Python<'_>, unit: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let unit = unit_arg(py, unit)?;
            Ok(PointsBook::wrap(rihla_ledger::PointsBook::new(unit)))
        })
    }

    /// A book from its `to_dict()` form (every lot's invariant is checked).
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            document_with(py, data, BOOK_LISTS).map(PointsBook::wrap)
        })
    }

    /// The book as a `dict`: `{"unit", "lots", "redemptions", "clawbacks"}` (store it; read
    /// it back with `from_dict`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let book = with_lock(py, &self.inner, |b| b.clone())?;
            to_python(py, &book)
        })
    }

    /// The book's unit, e.g. `"POINTS"`.
    #[getter]
    fn unit(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || with_lock(py, &self.inner, |b| b.unit().to_string()))
    }

    /// Earns points (an EARN transfer making a lot): `{"lot", "outcome"}`.
    fn earn<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let request: EarnRequest = document(py, request)?;
            let report = ledger
                .get()
                .with_other(py, &self.inner, |b, l| b.earn(l, &request))?
                .map_err(|e| raise_value(py, e.to_value()))?;
            to_python(py, &report)
        })
    }

    /// Redeems points from the lots available at `at`, soonest-expiring first:
    /// `{"redemption", "outcome"}`.
    fn redeem<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let request: RedeemRequest = document(py, request)?;
            let report = ledger
                .get()
                .with_other(py, &self.inner, |b, l| b.redeem(l, &request))?
                .map_err(|e| raise_value(py, e.to_value()))?;
            to_python(py, &report)
        })
    }

    /// Expires what is left of every lot whose `expires_at` ≤ `now`: `{"now", "expired",
    /// "failed"}` (idempotent).
    fn expire<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let now = args::instant(py, now, "now")?;
            let report = ledger
                .get()
                .with_other(py, &self.inner, |b, l| b.expire(l, now))?;
            to_python(py, &report)
        })
    }

    /// Claws back the points of a booking's lot for a refund: `{"clawback", "outcomes"}`.
    fn clawback<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let request: ClawbackRequest = document(py, request)?;
            let report = ledger
                .get()
                .with_other(py, &self.inner, |b, l| b.clawback(l, &request))?
                .map_err(|e| raise_value(py, e.to_value()))?;
            to_python(py, &report)
        })
    }

    /// A lot by id, or `None`.
    fn lot<'py>(&self, py: Python<'py>, lot_id: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, lot_id, "lot_id")?;
            let lot = with_lock(py, &self.inner, |b| b.lot(id).cloned())?;
            to_python(py, &lot)
        })
    }

    /// Every lot, in id order.
    fn lots<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let lots: Vec<_> = with_lock(py, &self.inner, |b| b.lots().cloned().collect())?;
            to_python(py, &lots)
        })
    }

    /// The lots of a customer points account, in redemption order.
    fn lots_of<'py>(
        &self,
        py: Python<'py>,
        account_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, account_id, "account_id")?;
            let lots: Vec<_> = with_lock(py, &self.inner, |b| {
                b.lots_of(id).into_iter().cloned().collect()
            })?;
            to_python(py, &lots)
        })
    }

    /// Points of an account available at `at` (its lots with `earned_at <= at <
    /// expires_at`), as a `decimal.Decimal`.
    fn available<'py>(
        &self,
        py: Python<'py>,
        account_id: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, account_id, "account_id")?;
            let at = args::instant(py, at, "at")?;
            self.amount(py, move |b| b.available(id, at))
        })
    }

    /// Points left in an account's lots (expired but not yet swept included).
    fn balance<'py>(
        &self,
        py: Python<'py>,
        account_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, account_id, "account_id")?;
            self.amount(py, move |b| b.balance(id))
        })
    }

    /// Σ debts recorded by clawbacks of an account's lots.
    fn debt_of<'py>(
        &self,
        py: Python<'py>,
        account_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, account_id, "account_id")?;
            self.amount(py, move |b| b.debt_of(id))
        })
    }

    /// A redemption by its transfer id, or `None`.
    fn redemption<'py>(
        &self,
        py: Python<'py>,
        redemption_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, redemption_id, "redemption_id")?;
            let found = with_lock(py, &self.inner, |b| b.redemption(id).cloned())?;
            to_python(py, &found)
        })
    }

    /// A clawback by its request id, or `None`.
    fn clawback_record<'py>(
        &self,
        py: Python<'py>,
        clawback_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, clawback_id, "clawback_id")?;
            let found = with_lock(py, &self.inner, |b| b.clawback_record(id).cloned())?;
            to_python(py, &found)
        })
    }
}
