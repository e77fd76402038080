//! The `rihla.RihlaError` exception tree and the one function that raises it.
//!
//! ```text
//! RihlaError(Exception)
//! ├── InvalidInputError(RihlaError, ValueError)          every input/validation code
//! ├── CurrencyMismatchError(RihlaError, ValueError)      CURRENCY_MISMATCH
//! ├── ArithmeticOverflowError(RihlaError, ArithmeticError)  OVERFLOW
//! └── InternalError(RihlaError, RuntimeError)            INTERNAL: a rihla defect
//! ```
//!
//! The tree is by kind of failure, not by code or domain: the charter codes
//! (`TOO_MANY_PASSENGERS`, `BEYOND_RANGE`, `OVERLAPPING_LEGS`, `INVALID_INTERVAL`,
//! `UNKNOWN_AIRPORT`, `AIRPORT_TABLE_UNAVAILABLE`, `INVALID_COORDINATES`, `INVALID_SPEED`,
//! `PARAMETER_OUT_OF_RANGE`) are input the host can correct, so they are
//! `InvalidInputError`s like the membership and fare-rule codes; a charter computation
//! that overflows has code `OVERFLOW` and is an `ArithmeticOverflowError`. Hosts tell the
//! codes apart with `.code`.
//!
//! The ledger's operations raise with the ledger crate's codes: malformed input
//! (`INVALID_REQUEST`, `INVALID_AMOUNT`, `BATCH_TOO_LARGE`) and the refusals of single
//! operations (`ACCOUNT_NOT_FOUND`, `ALREADY_REVERSED`, `EXCEEDS_PAYMENT`,
//! `INSUFFICIENT_POINTS`, `INVALID_TRANSITION`, a ledger code such as `EXCEEDS_CREDITS` …)
//! are `InvalidInputError`s too (a points or cashback `OVERFLOW` is an
//! `ArithmeticOverflowError`); a batch's per-transfer failures are reports, not exceptions.
//!
//! `INTERNAL` is never the host's fault: a Rust panic caught at the boundary
//! ([`crate::boundary`]), or an object left unusable by one. Its message says it is a rihla
//! defect; `.details["reason"]` carries the panic's message.
//!
//! `RihlaError` comes from `create_exception!` (abi3-safe). The subclasses need two bases,
//! which `create_exception!` cannot express, so they are built once per process by calling
//! `type(name, bases, namespace)` — also abi3-safe — and cached. Every class has
//! `__module__ == "rihla"`; the package re-exports them there.
//!
//! Every raised instance carries `.code` (the stable code string) and `.details` (a dict:
//! at least `code` and `message`, plus the fields the error names, e.g. `path`).

use pyo3::exceptions::{PyArithmeticError, PyException, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

use crate::to_python;

pyo3::create_exception!(
    rihla,
    RihlaError,
    PyException,
    "Base class of every error rihla raises. `.code` is the stable machine-readable code \
     (e.g. \"INVALID_AMOUNT\"); `.details` is a dict with `code`, `message` and the fields \
     that decided the error."
);

static INVALID_INPUT: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static CURRENCY_MISMATCH: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ARITHMETIC_OVERFLOW: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static INTERNAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The code of a rihla defect (a Rust panic caught at the boundary).
pub const INTERNAL_CODE: &str = "INTERNAL";

/// Builds `class name(RihlaError, second_base)` with `__module__ = "rihla"`.
fn subclass<'py>(
    py: Python<'py>,
    name: &str,
    second_base: Bound<'py, PyType>,
    doc: &str,
) -> PyResult<Py<PyType>> {
    let bases = PyTuple::new(py, [py.get_type::<RihlaError>(), second_base])?;
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "rihla")?;
    namespace.set_item("__doc__", doc)?;
    let class = py
        .get_type::<PyType>()
        .call1((name, bases, namespace))?
        .cast_into::<PyType>()?;
    Ok(class.unbind())
}

/// `rihla.InvalidInputError`.
pub fn invalid_input_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    INVALID_INPUT
        .get_or_try_init(py, || {
            subclass(
                py,
                "InvalidInputError",
                py.get_type::<PyValueError>(),
                "Input that rihla refuses: malformed JSON, an invalid request or rulebook, an \
                 invalid amount (a float, NaN, out of range), an unknown currency, a size \
                 limit exceeded, … `.code` says which.",
            )
        })
        .map(|t| t.bind(py))
}

/// `rihla.CurrencyMismatchError`.
pub fn currency_mismatch_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    CURRENCY_MISMATCH
        .get_or_try_init(py, || {
            subclass(
                py,
                "CurrencyMismatchError",
                py.get_type::<PyValueError>(),
                "Amounts of different currencies were combined (code CURRENCY_MISMATCH). \
                 rihla never converts silently.",
            )
        })
        .map(|t| t.bind(py))
}

/// `rihla.ArithmeticOverflowError`.
pub fn arithmetic_overflow_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    ARITHMETIC_OVERFLOW
        .get_or_try_init(py, || {
            subclass(
                py,
                "ArithmeticOverflowError",
                py.get_type::<PyArithmeticError>(),
                "A computation went past the range of rihla's decimal type (code OVERFLOW).",
            )
        })
        .map(|t| t.bind(py))
}

/// `rihla.InternalError`.
pub fn internal_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    INTERNAL
        .get_or_try_init(py, || {
            subclass(
                py,
                "InternalError",
                py.get_type::<PyRuntimeError>(),
                "A defect in rihla, not in the input (code INTERNAL): a Rust panic caught at \
                 the boundary, or an object an earlier panic left unusable. Please report it \
                 with `.details`.",
            )
        })
        .map(|t| t.bind(py))
}

/// The exception class for a stable error code.
fn class_for_code<'py>(py: Python<'py>, code: &str) -> PyResult<&'py Bound<'py, PyType>> {
    match code {
        "CURRENCY_MISMATCH" => currency_mismatch_error(py),
        "OVERFLOW" => arithmetic_overflow_error(py),
        INTERNAL_CODE => internal_error(py),
        _ => invalid_input_error(py),
    }
}

/// Builds the Python exception for `code` with `.code` and `.details` set.
///
/// `details` is the error's JSON object (`{"code", "message", ...}`); its `message` (or
/// `fallback_message`) becomes the exception's text, prefixed with the code.
pub fn rihla_error(
    py: Python<'_>,
    code: &str,
    fallback_message: &str,
    details: &serde_json::Value,
) -> PyErr {
    match build(py, code, fallback_message, details) {
        Ok(err) | Err(err) => err,
    }
}

fn build(
    py: Python<'_>,
    code: &str,
    fallback_message: &str,
    details: &serde_json::Value,
) -> PyResult<PyErr> {
    let message = details
        .get("message")
        .and_then(serde_json::Value::as_str)
        .unwrap_or(fallback_message);
    let details_py = to_python::to_python(py, details)?;
    let class = class_for_code(py, code)?;
    let instance = class.call1((format!("{code}: {message}"),))?;
    instance.setattr("code", code)?;
    instance.setattr("details", details_py)?;
    Ok(PyErr::from_value(instance))
}

/// Raises an error of the pricing engine (which also covers every `CoreError`).
pub fn from_pricing(py: Python<'_>, err: &rihla_pricing::Error) -> PyErr {
    rihla_error(py, err.code(), &err.to_string(), &err.to_value())
}

/// Raises an error found by the binding itself while converting Python input (a float
/// amount, a naive datetime, an unsupported type, a size limit, …). `field` is the path of
/// the offending value (`$` for the whole input); details are `{code, message, field,
/// reason}`, the shape of the pricing crate's own errors.
pub fn from_binding(py: Python<'_>, code: &str, field: &str, reason: &str) -> PyErr {
    from_binding_with(py, code, field, reason, serde_json::Map::new())
}

/// [`from_binding`] with more deciding values in `.details` (an argument's `min` and
/// `max`, a size's `limit` and `actual` …).
pub fn from_binding_with(
    py: Python<'_>,
    code: &str,
    field: &str,
    reason: &str,
    extra: serde_json::Map<String, serde_json::Value>,
) -> PyErr {
    let what = match code {
        "INVALID_AMOUNT" => "invalid amount",
        "INVALID_REQUEST" => "invalid request",
        "INVALID_RULEBOOK" => "invalid rulebook",
        "INVALID_JSON" => "invalid JSON",
        "INVALID_WEIGHTS" => "invalid weights",
        "LIMIT_EXCEEDED" => "limit exceeded",
        _ => "invalid input",
    };
    let message = format!("{what} at {field}: {reason}");
    let mut details = serde_json::json!({
        "code": code,
        "message": message,
        "field": field,
        "reason": reason,
    });
    if let serde_json::Value::Object(map) = &mut details {
        for (key, value) in extra {
            map.entry(key).or_insert(value);
        }
    }
    rihla_error(py, code, &message, &details)
}

/// Most characters of a panic message carried in `.details["reason"]`.
const MAX_PANIC_MESSAGE_CHARS: usize = 1_000;

/// The `INTERNAL` error: a rihla defect (`what`: the panic's message, or what was found
/// broken). Details are `{code, message, reason}`.
pub fn internal(py: Python<'_>, what: &str) -> PyErr {
    let reason: String = what.chars().take(MAX_PANIC_MESSAGE_CHARS).collect();
    let message =
        format!("rihla defect, not an input error: {reason} (please report it with this message)");
    let details = serde_json::json!({
        "code": INTERNAL_CODE,
        "message": message,
        "reason": reason,
    });
    rihla_error(py, INTERNAL_CODE, &message, &details)
}
