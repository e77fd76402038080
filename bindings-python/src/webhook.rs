//! `rihla._rihla.Refunds` and `WebhookInbox`: the refund registry
//! (`rihla_ledger::Refunds`) and the payment-webhook reducer (`rihla_ledger::WebhookInbox`),
//! each driving a `Ledger`. Conversion only; refusals raise with the crate's error (its
//! serde form with `code` and `message`).

use std::sync::Mutex;

use pyo3::prelude::*;
use rihla_ledger::{Id, PaymentEvent, PaymentRegistration, RefundOrder};

use crate::args;
use crate::boundary::guard;
use crate::ledger::{document, raise, records, with_lock, Count};
use crate::to_python::to_python;

/// The refunds of payments: each a `REFUND` transfer back to the payer, Σ refunds of a
/// payment never more than it.
#[pyclass(frozen, name = "Refunds", module = "rihla._rihla")]
pub struct Refunds {
    inner: Mutex<rihla_ledger::Refunds>,
}

#[pymethods]
impl Refunds {
    /// An empty registry.
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        guard(py, || {
            Ok(Refunds {
                inner: Mutex::new(rihla_ledger::Refunds::new()),
            })
        })
    }

    /// A registry from stored receipts (what `receipts()` gave, at most
    /// `MAX_REFUND_RECEIPTS`), in that order.
    #[staticmethod]
    fn from_receipts(py: Python<'_>, receipts: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let max = rihla_ledger::limits::MAX_REFUND_RECEIPTS;
            let list: Vec<rihla_ledger::RefundReceipt> =
                records(py, receipts, "receipts", Count::Limit(max))?;
            Ok(Refunds {
                inner: Mutex::new(rihla_ledger::Refunds::from_receipts(list)),
            })
        })
    }

    /// Refunds part or all of a payment: the receipt (amounts in minor units as digit
    /// strings, `outcome` the ledger's).
    fn refund<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let order: RefundOrder = document(py, request)?;
            let receipt = ledger
                .get()
                .with_other(py, &self.inner, |refunds, l| {
                    refunds.refund_order(l, &order)
                })?
                .map_err(|e| raise(py, e.code(), &e))?;
            to_python(py, &receipt)
        })
    }

    /// The receipt of a refund, as first made, or `None`.
    fn get<'py>(
        &self,
        py: Python<'py>,
        refund_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = args::id(py, refund_id, "refund_id")?;
            let found = with_lock(py, &self.inner, |r| r.get(id).cloned())?;
            to_python(py, &found)
        })
    }

    /// Every receipt (a payment's refunds in the order made).
    fn receipts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let all: Vec<_> = with_lock(py, &self.inner, |r| r.receipts().cloned().collect())?;
            to_python(py, &all)
        })
    }

    /// The refund ids of a payment, in the order made.
    fn refunds_of(&self, py: Python<'_>, payment_id: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        guard(py, || {
            let id = args::id(py, payment_id, "payment_id")?;
            with_lock(py, &self.inner, |r| {
                r.refunds_of(id).iter().map(Id::to_string).collect()
            })
        })
    }
}

/// The payment-webhook reducer: one effect per provider event, whatever the duplicates
/// and the order.
#[pyclass(frozen, name = "WebhookInbox", module = "rihla._rihla")]
pub struct WebhookInbox {
    inner: Mutex<rihla_ledger::WebhookInbox>,
}

#[pymethods]
impl WebhookInbox {
    /// An empty inbox.
    #[new]
    fn new(py: Python<'_>) -> PyResult<Self> {
        guard(py, || {
            Ok(WebhookInbox {
                inner: Mutex::new(rihla_ledger::WebhookInbox::new()),
            })
        })
    }

    /// The inbox's state as JSON (UTF-8 `bytes`, `rihla_ledger::webhook_snapshot`): its
    /// payments, the events seen with their outcomes, the deferred events, the refunds.
    /// `WebhookInbox.from_snapshot` rebuilds it; `pickle` uses it.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        guard(py, || {
            let json = with_lock(py, &self.inner, |i| serde_json::to_vec(&i.snapshot()))?
                .map_err(|e| crate::errors::internal(py, &e.to_string()))?;
            Ok(pyo3::types::PyBytes::new(py, &json))
        })
    }

    /// The inbox a snapshot describes (JSON text, `bytes` or `str`, at most 1 GiB).
    /// Errors: `INVALID_JSON`, `INVALID_REQUEST` (a malformed snapshot), `UNKNOWN_FORMAT`,
    /// `LIMIT_EXCEEDED`, `INCONSISTENT_SNAPSHOT` (a state the inbox never holds).
    #[staticmethod]
    fn from_snapshot(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let max = crate::ledger::MAX_SNAPSHOT_BYTES;
            let Some(text) = crate::args::json_text(py, data, "snapshot", max)? else {
                return Err(crate::errors::from_binding(
                    py,
                    "INVALID_REQUEST",
                    "snapshot",
                    "a snapshot is JSON text (bytes or str), as WebhookInbox.snapshot() writes it",
                ));
            };
            let parsed = py.detach(|| {
                serde_json::from_str::<rihla_ledger::webhook_snapshot::InboxSnapshot>(&text)
                    .map_err(|e| (e.is_syntax() || e.is_eof(), e.to_string()))
                    .map(|s| rihla_ledger::WebhookInbox::restore(&s))
            });
            match parsed {
                Err((syntax, reason)) => {
                    let code = if syntax {
                        "INVALID_JSON"
                    } else {
                        "INVALID_REQUEST"
                    };
                    Err(crate::errors::from_binding(py, code, "snapshot", &reason))
                }
                Ok(Err(e)) => Err(crate::ledger::raise(py, e.code(), &e)),
                Ok(Ok(inbox)) => Ok(WebhookInbox {
                    inner: Mutex::new(inbox),
                }),
            }
        })
    }

    /// Registers a payment, then re-drives its deferred events: the re-driven events.
    fn register_payment<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        registration: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let registration: PaymentRegistration = document(py, registration)?;
            let list = ledger
                .get()
                .with_other(py, &self.inner, |inbox, l| {
                    inbox.register_payment(l, &registration)
                })?
                .map_err(|e| raise(py, e.code(), &e))?;
            to_python(py, &list)
        })
    }

    /// Receives one provider event: `{"outcome", "redriven"}`.
    fn receive<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let event: PaymentEvent = document(py, event)?;
            let delivery = ledger
                .get()
                .with_other(py, &self.inner, |inbox, l| inbox.receive(l, &event))?
                .map_err(|e| raise(py, e.code(), &e))?;
            to_python(py, &delivery)
        })
    }

    /// Re-drives the deferred events of every registered payment.
    fn retry_deferred<'py>(
        &self,
        py: Python<'py>,
        ledger: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let ledger = args::ledger(py, ledger)?;
            let list = ledger
                .get()
                .with_other(py, &self.inner, |inbox, l| inbox.retry_deferred(l))?;
            to_python(py, &list)
        })
    }

    /// A registered payment and where it stands, or `None`.
    fn payment<'py>(
        &self,
        py: Python<'py>,
        provider: &Bound<'py, PyAny>,
        payment_ref: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let provider = args::text(py, provider, "provider")?;
            let payment_ref = args::text(py, payment_ref, "payment_ref")?;
            let found = with_lock(py, &self.inner, |i| {
                i.payment(&provider, &payment_ref).cloned()
            })?;
            to_python(py, &found)
        })
    }

    /// The outcome of an event as it stands, or `None` if it was not seen.
    fn outcome<'py>(
        &self,
        py: Python<'py>,
        provider: &Bound<'py, PyAny>,
        event_id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let provider = args::text(py, provider, "provider")?;
            let event_id = args::text(py, event_id, "event_id")?;
            let found = with_lock(py, &self.inner, |i| {
                i.outcome(&provider, &event_id).cloned()
            })?;
            to_python(py, &found)
        })
    }

    /// The deferred events.
    fn deferred<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let events: Vec<_> = with_lock(py, &self.inner, |i| i.deferred().cloned().collect())?;
            to_python(py, &events)
        })
    }

    /// The receipts of the refunds made by `REFUNDED` events.
    fn refunds<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let receipts: Vec<_> = with_lock(py, &self.inner, |i| {
                i.refunds().receipts().cloned().collect()
            })?;
            to_python(py, &receipts)
        })
    }

    /// How many event keys were seen.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        guard(py, || with_lock(py, &self.inner, |i| i.seen_len()))
    }
}

/// The ledger id of transfer `leg` (an `int` from 0 to 255, default 0) of the effect of
/// event `(provider, event_id)` (each a `str` of at most 1,000 characters) at `attempt`
/// (an `int` from 0 to 2³² − 1, default 0).
#[pyfunction]
#[pyo3(
    signature = (provider, event_id, leg = None, attempt = None),
    text_signature = "(provider, event_id, leg=0, attempt=0)"
)]
pub fn webhook_transfer_id(
    py: Python<'_>,
    provider: &Bound<'_, PyAny>,
    event_id: &Bound<'_, PyAny>,
    leg: Option<&Bound<'_, PyAny>>,
    attempt: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    guard(py, || {
        let provider = args::text(py, provider, "provider")?;
        let event_id = args::text(py, event_id, "event_id")?;
        let leg = args::opt_int(py, leg, "leg", 0, 0, u8::MAX)?;
        let attempt = args::opt_int(py, attempt, "attempt", 0, 0, u32::MAX)?;
        Ok(rihla_ledger::webhook_transfer_id(&provider, &event_id, leg, attempt).to_string())
    })
}
