//! `rihla._rihla`: the native half of the `rihla` Python package (pyo3, abi3).
//!
//! Conversion code only — no pricing rule lives here:
//! - Python input → `serde_json::Value` with a strict walker ([`from_python`]), then
//!   `Rulebook::from_value` / `QuoteRequest::from_value`, which apply rihla's own parsing;
//!   JSON text goes straight to `from_json`.
//! - `Quote` → plain Python objects with a serde serializer ([`to_python`]) that turns every
//!   amount into `decimal.Decimal`.
//! - Arguments: every value is taken as a Python object and checked (type, range, size)
//!   before it is copied ([`args`]).
//! - Errors → the `rihla.RihlaError` tree ([`errors`]), each with `.code` and `.details`;
//!   every exported function and method runs in [`boundary::guard`], so that a Rust panic
//!   reaches Python as `rihla.InternalError` (code `INTERNAL`), never as a
//!   `PanicException`.
//! - The double-entry ledger (`rihla-ledger`): the `Ledger` class, `audit_journal`,
//!   `plan_transfers` ([`ledger`]), `PointsBook` ([`points`]), `CashbackRecord`
//!   ([`cashback`]), `Refunds` and `WebhookInbox` ([`webhook`]), through the same walker
//!   and serializer.
//!
//! The Python package `rihla` (in `python/rihla/`) re-exports these and owns the ergonomics.

use pyo3::prelude::*;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// mimalloc as the extension's allocator (see Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod args;
mod batch;
mod boundary;
mod cashback;
mod errors;
mod from_python;
mod ledger;
mod node;
mod points;
mod record;
mod to_python;
mod webhook;

use boundary::guard;
use from_python::{Doc, WalkError};

/// Most weights `allocate` accepts in one call.
const MAX_WEIGHTS: usize = 100_000;

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
    /// Reads and validates a rulebook from JSON text (`str` or UTF-8 `bytes`, at most
    /// `MAX_RULEBOOK_BYTES`).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let max = rihla_pricing::limits::MAX_RULEBOOK_BYTES;
            let Some(text) = args::json_text(py, text, "rulebook", max)? else {
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
        })
    }

    /// Reads and validates a rulebook from Python objects (a `dict` as `json.load` gives,
    /// with `decimal.Decimal`, `datetime` and `date` values allowed).
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let value = walk(py, data, Doc::Rulebook)?;
            rihla_pricing::Rulebook::from_value(value)
                .map(|inner| Rulebook { inner })
                .map_err(|e| errors::from_pricing(py, &e))
        })
    }

    /// The rulebook rihla ships (membership plans, sample taxes).
    #[staticmethod]
    #[pyo3(name = "default")]
    fn default_rulebook(py: Python<'_>) -> PyResult<Self> {
        guard(py, || {
            rihla_pricing::Rulebook::default_rulebook()
                .map(|inner| Rulebook { inner })
                .map_err(|e| errors::from_pricing(py, &e))
        })
    }

    /// The rulebook's version string.
    #[getter]
    fn version(&self, py: Python<'_>) -> PyResult<&str> {
        guard(py, || Ok(self.inner.version()))
    }

    /// The rulebook's content fingerprint: lowercase hex SHA-256 of [`Rulebook::to_json`]'s
    /// text (the same rules give the same fingerprint whatever their whitespace or key
    /// order; a changed rule changes it, even under the same `version`).
    #[getter]
    fn fingerprint(&self, py: Python<'_>) -> PyResult<&str> {
        guard(py, || Ok(self.inner.fingerprint()))
    }

    /// The rulebook as canonical JSON text: what `from_json` reads back into an equal
    /// rulebook, and what the fingerprint is the SHA-256 of.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || Ok(self.inner.to_json()))
    }

    /// Prices a request given as JSON text (`bytes`, `bytearray` or `str`, at most
    /// `MAX_REQUEST_BYTES`) and returns the quote as JSON (UTF-8 `bytes`, amounts as
    /// strings), with no Python object in between and the GIL released throughout.
    fn quote_json<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        guard(py, || batch::quote_json(py, &self.inner, request))
    }

    /// Prices up to `MAX_BATCH_REQUESTS` requests (each a `dict`/`Mapping` or JSON text)
    /// with the GIL released for the whole batch: a `list` with one quote per request, in
    /// order, and each failed request's `RihlaError` instance (not raised) in its place.
    fn quote_many<'py>(
        &self,
        py: Python<'py>,
        requests: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, pyo3::types::PyList>> {
        guard(py, || batch::quote_many(py, &self.inner, requests))
    }

    /// [`Rulebook::quote_many`] from JSON text to JSON: each request `bytes`, `bytearray`
    /// or `str`; each result the quote's JSON (`bytes`) or the request's `RihlaError`.
    fn quote_many_json<'py>(
        &self,
        py: Python<'py>,
        requests: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, pyo3::types::PyList>> {
        guard(py, || batch::quote_many_json(py, &self.inner, requests))
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

    /// Would `code` (a `str` of at most 1,000 characters) apply to the cart of `request`
    /// (after the automatic offers), for how much, and if not, why: a `dict` with
    /// `applies`, `discount` / `reason`.
    fn check_voucher<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
        code: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inner = &self.inner;
        let code = guard(py, || args::text(py, code, "code"))?;
        let code = code.as_str();
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

    /// The tier that `lifetime_points` (an `int` from 0 to 2⁶⁴ − 1) reach, e.g. `"GOLD"`.
    fn tier_for_points(
        &self,
        py: Python<'_>,
        lifetime_points: &Bound<'_, PyAny>,
    ) -> PyResult<&'static str> {
        guard(py, || {
            let points = args::int(py, lifetime_points, "lifetime_points", 0, u64::MAX)?;
            Ok(self.inner.tier_for_points(points).code())
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || {
            Ok(format!(
                "<rihla._rihla.Rulebook version={:?}>",
                self.inner.version()
            ))
        })
    }
}

/// A request given as a `dict`/`Mapping` (strict walk, then `from_value`) or as JSON text
/// (`from_json`, at most `MAX_REQUEST_BYTES`).
fn parse_request<T>(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    from_json: fn(&str) -> Result<T, rihla_pricing::Error>,
    from_value: fn(serde_json::Value) -> Result<T, rihla_pricing::Error>,
) -> PyResult<T> {
    let max = rihla_pricing::limits::MAX_REQUEST_BYTES;
    let parsed = match args::json_text(py, obj, "request", max)? {
        Some(text) => from_json(&text),
        None => from_value(walk(py, obj, Doc::Request)?),
    };
    parsed.map_err(|e| errors::from_pricing(py, &e))
}

/// The shape of every request method: read `obj` (a dict or JSON text) as `T`, run `f`
/// with the GIL released, and hand back its answer as Python objects (amounts as
/// `decimal.Decimal`); every failure a `RihlaError`, a panic `INTERNAL` ([`guard`]).
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
    guard(py, || {
        let request = parse_request(py, obj, from_json, from_value)?;
        let result = py
            .detach(|| f(&request))
            .map_err(|e| errors::from_pricing(py, &e))?;
        record::of(py, &result)
    })
}

/// Test hook: the JSON text that the strict walker makes of `obj`, i.e. what
/// `Rulebook.quote(obj)` hands to rihla's parser. Conversion only; not public API.
#[pyfunction]
#[pyo3(name = "_to_json")]
fn to_json_debug(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<String> {
    guard(py, || {
        let value = walk(py, obj, Doc::Request)?;
        serde_json::to_string(&value).map_err(|e| errors::internal(py, &e.to_string()))
    })
}

/// A decimal, serialized through rihla's own wire format (so `-0` is `0`, and the Python
/// side gets `decimal.Decimal`).
pub(crate) struct Amount(pub(crate) Decimal);

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        rihla_core::decimal_string::serialize(&self.0, serializer)
    }
}

/// Splits `amount` over `weights` (at most 100,000) by the largest-remainder method on the
/// currency's minor units (`rihla_core::allocate`): the parts sum exactly to `amount`.
#[pyfunction]
fn allocate<'py>(
    py: Python<'py>,
    amount: &Bound<'py, PyAny>,
    currency: &Bound<'py, PyAny>,
    weights: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let amount = from_python::decimal_from_py(amount).map_err(|e| {
            e.at(from_python::Seg::Key("amount".to_owned()))
                .into_pyerr(py)
        })?;
        let code = args::text(py, currency, "currency")?;
        let currency = rihla_core::Currency::from_code(&code)
            .map_err(|e| errors::from_pricing(py, &rihla_pricing::Error::from(e)))?;
        let parsed = weights_arg(py, weights)?;
        let total = rihla_core::Money::new(amount, currency);
        let parts = rihla_core::allocate(total, &parsed)
            .map_err(|e| errors::from_pricing(py, &rihla_pricing::Error::from(e)))?;
        let amounts: Vec<Amount> = parts.into_iter().map(|m| Amount(m.amount)).collect();
        to_python::to_python(py, &amounts)
    })
}

/// The weights of `allocate`: an iterable of `decimal.Decimal` or `int`, at most
/// [`MAX_WEIGHTS`] (a sized one is counted before it is iterated).
fn weights_arg(py: Python<'_>, weights: &Bound<'_, PyAny>) -> PyResult<Vec<Decimal>> {
    let not_iterable = || {
        errors::from_binding(
            py,
            "INVALID_WEIGHTS",
            "weights",
            "weights must be a sequence of decimal.Decimal",
        )
    };
    // `actual`: the length of a sized iterable, else the one weight past the limit read.
    let too_many = |actual: usize| {
        let mut values = serde_json::Map::new();
        values.insert("limit".into(), MAX_WEIGHTS.into());
        values.insert("actual".into(), actual.into());
        errors::from_binding_with(
            py,
            "LIMIT_EXCEEDED",
            "weights",
            &format!("more than {MAX_WEIGHTS} weights"),
            values,
        )
    };
    if args::is_text_or_mapping(weights) {
        return Err(not_iterable());
    }
    if let Some(n) = weights.len().ok().filter(|n| *n > MAX_WEIGHTS) {
        return Err(too_many(n));
    }
    let iter = weights.try_iter().map_err(|_| not_iterable())?;
    let mut parsed = Vec::new();
    for (i, item) in iter.enumerate() {
        if i >= MAX_WEIGHTS {
            return Err(too_many(i + 1));
        }
        let item = item?;
        let weight =
            from_python::decimal_from_py(&item).map_err(|e| weight_error(e, i).into_pyerr(py))?;
        parsed.push(weight);
    }
    Ok(parsed)
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
    m.add_class::<record::Record>()?;
    m.add_class::<record::Handle>()?;
    m.add_function(wrap_pyfunction!(record::_record_from_pickle, m)?)?;
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
    m.add(
        "MAX_REQUEST_BYTES",
        rihla_pricing::limits::MAX_REQUEST_BYTES,
    )?;
    m.add(
        "MAX_RULEBOOK_BYTES",
        rihla_pricing::limits::MAX_RULEBOOK_BYTES,
    )?;
    m.add("MAX_TEXT_CHARS", args::MAX_TEXT_CHARS)?;
    m.add("MAX_BATCH_REQUESTS", batch::MAX_BATCH_REQUESTS)?;
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
    m.add("InternalError", errors::internal_error(py)?)?;
    Ok(())
}
