//! `rihla._rihla`: the native half of the `rihla` Python package (pyo3, abi3).
//!
//! Conversion code only — no pricing rule lives here:
//! - Python input → `serde_json::Value` with a strict walker ([`from_python`]), then
//!   `Rulebook::from_value` / `QuoteRequest::from_value`, which apply rihla's own parsing;
//!   JSON text goes straight to `from_json`.
//! - `Quote` → plain Python objects with a serde serializer ([`to_python`]) that turns every
//!   amount into `decimal.Decimal`.
//! - Errors → the `rihla.RihlaError` tree ([`errors`]), each with `.code` and `.details`.
//! - The double-entry ledger (`rihla-ledger`): the `Ledger` class, `audit_journal`,
//!   `plan_transfers` ([`ledger`]), `PointsBook` ([`points`]), `CashbackRecord`
//!   ([`cashback`]), `Refunds` and `WebhookInbox` ([`webhook`]), through the same walker
//!   and serializer.
//!
//! The Python package `rihla` (in `python/rihla/`) re-exports these and owns the ergonomics.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyInt, PyString};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

mod cashback;
mod errors;
mod from_python;
mod ledger;
mod points;
mod to_python;
mod webhook;

use from_python::{Doc, WalkError};

/// Most weights `allocate` accepts in one call.
const MAX_WEIGHTS: usize = 100_000;

/// JSON text given as `str`, `bytes` or `bytearray` (borrowed where Python allows);
/// `None` for anything else. rihla's parser then applies its own byte limits.
pub(crate) fn json_text<'a>(
    py: Python<'_>,
    obj: &'a Bound<'_, PyAny>,
) -> PyResult<Option<Cow<'a, str>>> {
    let not_utf8 = |reason: String| errors::from_binding(py, "INVALID_JSON", "$", &reason);
    if let Ok(s) = obj.cast::<PyString>() {
        let text = s
            .to_cow()
            .map_err(|_| not_utf8("text is not valid Unicode (lone surrogate)".to_owned()))?;
        Ok(Some(text))
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        let text = std::str::from_utf8(b.as_bytes())
            .map_err(|e| not_utf8(format!("JSON text is not valid UTF-8: {e}")))?;
        Ok(Some(Cow::Borrowed(text)))
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        let text = String::from_utf8(b.to_vec())
            .map_err(|e| not_utf8(format!("JSON text is not valid UTF-8: {e}")))?;
        Ok(Some(Cow::Owned(text)))
    } else {
        Ok(None)
    }
}

fn walk(py: Python<'_>, obj: &Bound<'_, PyAny>, doc: Doc) -> PyResult<serde_json::Value> {
    from_python::to_value(obj, doc).map_err(|e| e.into_pyerr(py))
}

/// A validated rulebook: parse once, quote many. Immutable and safe to share between
/// threads.
#[pyclass(frozen, name = "Rulebook", module = "rihla._rihla")]
pub struct Rulebook {
    inner: rihla_pricing::Rulebook,
}

#[pymethods]
impl Rulebook {
    /// Reads and validates a rulebook from JSON text (`str` or UTF-8 `bytes`).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let Some(text) = json_text(py, text)? else {
            return Err(errors::from_binding(
                py,
                "INVALID_JSON",
                "$",
                "from_json expects str or bytes; use from_dict for a dict",
            ));
        };
        rihla_pricing::Rulebook::from_json(&text)
            .map(|inner| Rulebook { inner })
            .map_err(|e| errors::from_pricing(py, &e))
    }

    /// Reads and validates a rulebook from Python objects (a `dict` as `json.load` gives,
    /// with `decimal.Decimal`, `datetime` and `date` values allowed).
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let value = walk(py, data, Doc::Rulebook)?;
        rihla_pricing::Rulebook::from_value(value)
            .map(|inner| Rulebook { inner })
            .map_err(|e| errors::from_pricing(py, &e))
    }

    /// The rulebook rihla ships (membership plans, sample taxes).
    #[staticmethod]
    #[pyo3(name = "default")]
    fn default_rulebook(py: Python<'_>) -> PyResult<Self> {
        rihla_pricing::Rulebook::default_rulebook()
            .map(|inner| Rulebook { inner })
            .map_err(|e| errors::from_pricing(py, &e))
    }

    /// The rulebook's version string.
    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }

    /// Prices a request (a `dict`/`Mapping`, or JSON text) and returns the quote as a
    /// `dict` whose amounts are `decimal.Decimal`.
    fn quote<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        answer(
            py,
            request,
            rihla_pricing::QuoteRequest::from_json,
            rihla_pricing::QuoteRequest::from_value,
            |r| inner.quote(r),
        )
    }

    /// Would `code` apply to the cart of `request` (after the automatic offers), for how
    /// much, and if not, why: a `dict` with `applies`, `discount` / `reason`.
    fn check_voucher<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
        code: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        answer(
            py,
            request,
            rihla_pricing::QuoteRequest::from_json,
            rihla_pricing::QuoteRequest::from_value,
            |r| inner.check_voucher(r, code),
        )
    }

    /// May a member of `tier` use one more `code` now: a `dict` with `allowed`, `quota`,
    /// `used`, `remaining`, `period_start`, `resets_at` (aware `datetime` as ISO 8601
    /// text) and, when refused, `reason`.
    fn check_entitlement<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        answer(
            py,
            request,
            rihla_pricing::EntitlementRequest::from_json,
            rihla_pricing::EntitlementRequest::from_value,
            |r| inner.check_entitlement(r),
        )
    }

    /// The price of an upgrade for the rest of the current term: a `dict` with
    /// `price_difference`, `total_days`, `remaining_days`, `prorated_amount` and
    /// `instalments` (amounts as `decimal.Decimal`).
    fn upgrade_price<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        answer(
            py,
            request,
            rihla_pricing::UpgradeRequest::from_json,
            rihla_pricing::UpgradeRequest::from_value,
            |r| inner.upgrade_price(r),
        )
    }

    /// What a referred booking earns: a `dict` with `eligible`, `referrer_reward`,
    /// `referee_reward`, `affiliate_commission` (`decimal.Decimal`) and, when not
    /// eligible, `reason`.
    fn referral_rewards<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        answer(
            py,
            request,
            rihla_pricing::ReferralRequest::from_json,
            rihla_pricing::ReferralRequest::from_value,
            |r| inner.referral_rewards(r),
        )
    }

    /// The flown schedule of a charter itinerary (the `jet` of a PRIVATE_JET item, as a
    /// `dict` or JSON text) and its conflicts with the itinerary's `availability`
    /// calendar: a `dict` with `available` (`bool`), `legs` and `conflicts`. Instants and
    /// dates are ISO 8601 `str` (leg times keep their local UTC offset, calendar instants
    /// are UTC `...Z`), `distance_km` and hours are `decimal.Decimal`.
    fn charter_availability<'py>(
        &self,
        py: Python<'py>,
        itinerary: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        answer(
            py,
            itinerary,
            rihla_pricing::jet::Itinerary::from_json,
            rihla_pricing::jet::Itinerary::from_value,
            |i| inner.charter_availability(i),
        )
    }

    /// The tier that `lifetime_points` (a non-negative `int`) reach, e.g. `"GOLD"`.
    fn tier_for_points(
        &self,
        py: Python<'_>,
        lifetime_points: &Bound<'_, PyAny>,
    ) -> PyResult<&'static str> {
        let invalid = || {
            errors::from_binding(
                py,
                "INVALID_REQUEST",
                "lifetime_points",
                "lifetime_points must be an int from 0 to 2**64 - 1",
            )
        };
        if lifetime_points.is_instance_of::<PyBool>() || !lifetime_points.is_instance_of::<PyInt>()
        {
            return Err(invalid());
        }
        let points: u64 = lifetime_points.extract().map_err(|_| invalid())?;
        Ok(self.inner.tier_for_points(points).code())
    }

    fn __repr__(&self) -> String {
        format!("<rihla._rihla.Rulebook version={:?}>", self.inner.version())
    }
}

/// A request given as a `dict`/`Mapping` (strict walk, then `from_value`) or as JSON text
/// (`from_json`).
fn parse_request<T>(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    from_json: fn(&str) -> Result<T, rihla_pricing::Error>,
    from_value: fn(serde_json::Value) -> Result<T, rihla_pricing::Error>,
) -> PyResult<T> {
    let parsed = match json_text(py, obj)? {
        Some(text) => from_json(&text),
        None => from_value(walk(py, obj, Doc::Request)?),
    };
    parsed.map_err(|e| errors::from_pricing(py, &e))
}

/// The shape of every request method: read `obj` (a dict or JSON text) as `T`, run `f`
/// with the GIL released, and hand back its answer as Python objects (amounts as
/// `decimal.Decimal`); every failure a `RihlaError`.
fn answer<'py, T, R, F>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    from_json: fn(&str) -> Result<T, rihla_pricing::Error>,
    from_value: fn(serde_json::Value) -> Result<T, rihla_pricing::Error>,
    f: F,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Sync,
    R: Serialize + Send,
    F: FnOnce(&T) -> Result<R, rihla_pricing::Error> + Send,
{
    let request = parse_request(py, obj, from_json, from_value)?;
    let result = py
        .detach(|| f(&request))
        .map_err(|e| errors::from_pricing(py, &e))?;
    to_python::to_python(py, &result)
}

/// Test hook: the JSON text that the strict walker makes of `obj`, i.e. what
/// `Rulebook.quote(obj)` hands to rihla's parser. Conversion only; not public API.
#[pyfunction]
#[pyo3(name = "_to_json")]
fn to_json_debug(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let value = walk(py, obj, Doc::Request)?;
    serde_json::to_string(&value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// A decimal, serialized through rihla's own wire format (so `-0` is `0`, and the Python
/// side gets `decimal.Decimal`).
pub(crate) struct Amount(pub(crate) Decimal);

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rihla_core::decimal_string::serialize(&self.0, serializer)
    }
}

/// Splits `amount` over `weights` by the largest-remainder method on the currency's minor
/// units (`rihla_core::allocate`): the parts sum exactly to `amount`.
#[pyfunction]
fn allocate<'py>(
    py: Python<'py>,
    amount: &Bound<'py, PyAny>,
    currency: &Bound<'py, PyAny>,
    weights: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let amount = from_python::decimal_from_py(amount).map_err(|e| {
        e.at(from_python::Seg::Key("amount".to_owned()))
            .into_pyerr(py)
    })?;
    let code = match currency.cast::<PyString>() {
        Ok(s) => s.to_string_lossy().into_owned(),
        Err(_) => {
            return Err(errors::from_binding(
                py,
                "INVALID_REQUEST",
                "currency",
                "currency must be a str ISO 4217 code such as \"SAR\"",
            ))
        }
    };
    let currency = rihla_core::Currency::from_code(&code)
        .map_err(|e| errors::from_pricing(py, &rihla_pricing::Error::from(e)))?;

    let not_iterable = || {
        errors::from_binding(
            py,
            "INVALID_WEIGHTS",
            "weights",
            "weights must be a sequence of decimal.Decimal",
        )
    };
    if weights.is_instance_of::<PyString>() {
        return Err(not_iterable());
    }
    let iter = weights.try_iter().map_err(|_| not_iterable())?;
    let mut parsed = Vec::new();
    for (i, item) in iter.enumerate() {
        if i >= MAX_WEIGHTS {
            return Err(errors::from_binding(
                py,
                "LIMIT_EXCEEDED",
                "weights",
                &format!("more than {MAX_WEIGHTS} weights"),
            ));
        }
        let item = item?;
        let weight =
            from_python::decimal_from_py(&item).map_err(|e| weight_error(e, i).into_pyerr(py))?;
        parsed.push(weight);
    }

    let total = rihla_core::Money::new(amount, currency);
    let parts = rihla_core::allocate(total, &parsed)
        .map_err(|e| errors::from_pricing(py, &rihla_pricing::Error::from(e)))?;
    let amounts: Vec<Amount> = parts.into_iter().map(|m| Amount(m.amount)).collect();
    to_python::to_python(py, &amounts)
}

fn weight_error(err: WalkError, index: usize) -> WalkError {
    err.at(from_python::Seg::Index(index))
        .at(from_python::Seg::Key("weights".to_owned()))
}

/// The native module. Its exceptions are created with `__module__ == "rihla"`.
#[pymodule]
fn _rihla(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // Whether this build embeds the airport table (cargo feature `airports`): legs may
    // then name airports by IATA/ICAO code alone, without host coordinates.
    m.add(
        "AIRPORT_TABLE",
        rihla_pricing::jet::airport::table_available(),
    )?;
    m.add_class::<Rulebook>()?;
    m.add_class::<ledger::Ledger>()?;
    m.add_class::<points::PointsBook>()?;
    m.add_class::<cashback::CashbackRecord>()?;
    m.add_class::<webhook::Refunds>()?;
    m.add_class::<webhook::WebhookInbox>()?;
    m.add_function(wrap_pyfunction!(ledger::audit_journal, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::plan_transfers, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::reversal_id, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::webhook_transfer_id, m)?)?;
    m.add("LEDGER_BATCH_MAX", rihla_ledger::BATCH_MAX)?;
    m.add("LEDGER_MAX_RESERVED", rihla_ledger::MAX_RESERVED)?;
    m.add_function(wrap_pyfunction!(allocate, m)?)?;
    m.add_function(wrap_pyfunction!(to_json_debug, m)?)?;
    m.add("RihlaError", py.get_type::<errors::RihlaError>())?;
    m.add("InvalidInputError", errors::invalid_input_error(py)?)?;
    m.add(
        "CurrencyMismatchError",
        errors::currency_mismatch_error(py)?,
    )?;
    m.add(
        "ArithmeticOverflowError",
        errors::arithmetic_overflow_error(py)?,
    )?;
    Ok(())
}
