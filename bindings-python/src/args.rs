//! The arguments of the exported functions and methods. Every value a host passes is taken
//! as a Python object and checked here — its type, its range, its size — before anything
//! is copied into Rust, so that a wrong argument is a `RihlaError` naming it, never a pyo3
//! `OverflowError` or `TypeError`, and an oversized one costs nothing before it is refused.
//!
//! | argument | accepted | refused with |
//! |---|---|---|
//! | integer ([`int`], [`opt_int`]) | an `int` (not a `bool`) from `min` to `max` | `INVALID_REQUEST`, `.details` `field`, `min`, `max` |
//! | text ([`text`], [`opt_text`]) | a `str` of at most [`MAX_TEXT_CHARS`] characters | `INVALID_REQUEST` (not a `str`, a lone surrogate); `LIMIT_EXCEEDED` with `field`, `limit`, `actual` |
//! | JSON text ([`json_text`]) | `str`, `bytes`, `bytearray` within the document's byte limit | `LIMIT_EXCEEDED` with `field` (`"request bytes"` …), `limit`, `actual`; `INVALID_JSON` (not UTF-8) |
//! | id ([`id`], [`ids`]) | a `str` (digits or a UUID), a non-negative `int`, a `uuid.UUID` | `INVALID_REQUEST` naming the argument |
//! | instant ([`instant`]) | an aware `datetime`, RFC 3339 text | `INVALID_REQUEST` naming the argument |
//! | flag ([`flag`]) | a `bool` | `INVALID_REQUEST` |
//! | ledger ([`ledger`]) | a `rihla.Ledger` | `INVALID_REQUEST` |
//!
//! A `str`'s length is read from the Python object (its number of characters, a lower bound
//! of its UTF-8 bytes) before it is copied; a list's length before it is iterated.

use std::borrow::Cow;
use std::fmt::Display;

use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyInt, PyMapping, PyString};
use rihla_ledger::Id;
use serde_json::Value;

use crate::errors;
use crate::from_python::{self, Doc, Seg, WalkError};
use crate::ledger::{deserialize, Ledger};

/// Most characters of a text argument that is not a document (a voucher code, a currency, a
/// unit, an actor, a reason, a webhook key, an id given as `str`): the pricing crate's
/// limit on free text (`rihla_pricing::limits::MAX_TEXT_CHARS`, 1,000). The crates apply
/// their own, finer limits to what passes.
pub(crate) const MAX_TEXT_CHARS: usize = rihla_pricing::limits::MAX_TEXT_CHARS;

fn is_int(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>()
}

/// An integer argument: an `int` (a `bool` or a `float` is refused) from `min` to `max`;
/// else `INVALID_REQUEST` with `.details` `field`, `min` and `max`.
pub(crate) fn int<'py, T>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    name: &str,
    min: T,
    max: T,
) -> PyResult<T>
where
    T: for<'a> FromPyObject<'a, 'py> + PartialOrd + Copy + Display + Into<Value>,
{
    let out_of_range = || {
        let mut bounds = serde_json::Map::new();
        bounds.insert("min".into(), min.into());
        bounds.insert("max".into(), max.into());
        errors::from_binding_with(
            py,
            "INVALID_REQUEST",
            name,
            &format!("{name} must be an int from {min} to {max}"),
            bounds,
        )
    };
    if !is_int(obj) {
        return Err(out_of_range());
    }
    match obj.extract::<T>() {
        Ok(v) if min <= v && v <= max => Ok(v),
        _ => Err(out_of_range()),
    }
}

/// An optional integer argument (absent or `None`: `default`), else as [`int`].
pub(crate) fn opt_int<'py, T>(
    py: Python<'py>,
    obj: Option<&Bound<'py, PyAny>>,
    name: &str,
    default: T,
    min: T,
    max: T,
) -> PyResult<T>
where
    T: for<'a> FromPyObject<'a, 'py> + PartialOrd + Copy + Display + Into<Value>,
{
    match obj.filter(|o| !o.is_none()) {
        None => Ok(default),
        Some(o) => int(py, o, name, min, max),
    }
}

/// `LIMIT_EXCEEDED` for an argument of `actual` characters (or bytes) past `limit`, in the
/// shape of the pricing crate's own (`field`, `limit`, `actual`).
fn too_long(py: Python<'_>, name: &str, limit: usize, actual: usize, unit: &str) -> PyErr {
    let mut values = serde_json::Map::new();
    values.insert("limit".into(), limit.into());
    values.insert("actual".into(), actual.into());
    errors::from_binding_with(
        py,
        "LIMIT_EXCEEDED",
        name,
        &format!("{actual} {unit}, more than the limit of {limit}"),
        values,
    )
}

/// A `str` argument of at most `max_chars` characters, measured before it is copied.
fn bounded_str<'a>(
    py: Python<'_>,
    s: &'a Bound<'_, PyString>,
    name: &str,
    max_chars: usize,
) -> PyResult<Cow<'a, str>> {
    let chars = s.code_point_len()?;
    if chars > max_chars {
        return Err(too_long(py, name, max_chars, chars, "characters"));
    }
    s.to_cow().map_err(|_| {
        errors::from_binding(
            py,
            "INVALID_REQUEST",
            name,
            "the text is not valid Unicode (lone surrogate)",
        )
    })
}

/// A text argument: a `str` of at most [`MAX_TEXT_CHARS`] characters.
pub(crate) fn text(py: Python<'_>, obj: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => bounded_str(py, s, name, MAX_TEXT_CHARS).map(Cow::into_owned),
        Err(_) => Err(errors::from_binding(
            py,
            "INVALID_REQUEST",
            name,
            &format!("{name} must be a str"),
        )),
    }
}

/// An optional text argument (absent or `None`: empty), else as [`text`].
pub(crate) fn opt_text(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<String> {
    match obj.filter(|o| !o.is_none()) {
        None => Ok(String::new()),
        Some(o) => text(py, o, name),
    }
}

/// A `bool` argument (absent or `None`: `false`); an `int` or anything else is refused.
pub(crate) fn flag(py: Python<'_>, obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<bool> {
    match obj.filter(|o| !o.is_none()) {
        None => Ok(false),
        Some(o) if o.is_instance_of::<PyBool>() => o.is_truthy(),
        Some(_) => Err(errors::from_binding(
            py,
            "INVALID_REQUEST",
            name,
            &format!("{name} must be a bool"),
        )),
    }
}

/// JSON text given as `str`, `bytes` or `bytearray` (borrowed where Python allows), at most
/// `max_bytes` bytes (`what`: the document, `"request"`, `"rulebook"`, `"journal"`);
/// `None` for anything else. The size is read before the text is copied: past it,
/// `LIMIT_EXCEEDED` with `field` `"<what> bytes"`, `limit` and `actual` (for a `str`, its
/// characters: a lower bound of its UTF-8 bytes), as the crates' own `from_json` says it.
pub(crate) fn json_text<'a>(
    py: Python<'_>,
    obj: &'a Bound<'_, PyAny>,
    what: &str,
    max_bytes: usize,
) -> PyResult<Option<Cow<'a, str>>> {
    let not_utf8 = |reason: String| errors::from_binding(py, "INVALID_JSON", "$", &reason);
    let too_large = |actual: usize| {
        errors::from_pricing(
            py,
            &rihla_pricing::Error::LimitExceeded {
                field: format!("{what} bytes"),
                limit: max_bytes,
                actual,
            },
        )
    };
    if let Ok(s) = obj.cast::<PyString>() {
        let chars = s.code_point_len()?;
        if chars > max_bytes {
            return Err(too_large(chars));
        }
        let text = s
            .to_cow()
            .map_err(|_| not_utf8("text is not valid Unicode (lone surrogate)".to_owned()))?;
        if text.len() > max_bytes {
            return Err(too_large(text.len()));
        }
        Ok(Some(text))
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        let bytes = b.as_bytes();
        if bytes.len() > max_bytes {
            return Err(too_large(bytes.len()));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|e| not_utf8(format!("JSON text is not valid UTF-8: {e}")))?;
        Ok(Some(Cow::Borrowed(text)))
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        if b.len() > max_bytes {
            return Err(too_large(b.len()));
        }
        let text = String::from_utf8(b.to_vec())
            .map_err(|e| not_utf8(format!("JSON text is not valid UTF-8: {e}")))?;
        Ok(Some(Cow::Owned(text)))
    } else {
        Ok(None)
    }
}

/// Whether `obj` is text or a mapping: what a list argument must not be (a `str` iterates
/// its characters, a `dict` its keys).
pub(crate) fn is_text_or_mapping(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.cast::<PyMapping>().is_ok()
}

/// An id argument (`account_id`, `transfer_id` …): a `str` (digits or a UUID), a
/// non-negative `int` or a `uuid.UUID`.
pub(crate) fn id(py: Python<'_>, obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Id> {
    let at = |e: WalkError| e.at(Seg::Key(name.to_owned())).into_pyerr(py);
    let text = if let Ok(s) = obj.cast::<PyString>() {
        bounded_str(py, s, name, MAX_TEXT_CHARS)?.into_owned()
    } else {
        match from_python::id_value(obj).map_err(at)? {
            Some(text) => text,
            None => {
                return Err(at(WalkError::new(
                    "INVALID_REQUEST",
                    "an id is a str (digits or a UUID), a non-negative int or a uuid.UUID",
                )))
            }
        }
    };
    Id::parse(&text).map_err(|reason| errors::from_binding(py, "INVALID_REQUEST", name, &reason))
}

/// A sequence of ids, read up to one past `max` (the crate refuses the rest by count).
pub(crate) fn ids(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    name: &str,
    max: usize,
) -> PyResult<Vec<Id>> {
    let invalid = || {
        errors::from_binding(
            py,
            "INVALID_REQUEST",
            name,
            &format!("{name} must be a list of ids"),
        )
    };
    if is_text_or_mapping(obj) {
        return Err(invalid());
    }
    let mut out = Vec::new();
    for (i, item) in obj.try_iter().map_err(|_| invalid())?.enumerate() {
        if i > max {
            break;
        }
        out.push(id(py, &item?, &format!("{name}[{i}]"))?);
    }
    Ok(out)
}

/// An instant argument: an aware `datetime` or RFC 3339 text (a `str` of at most
/// [`MAX_TEXT_CHARS`] characters).
pub(crate) fn instant(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    name: &str,
) -> PyResult<DateTime<Utc>> {
    let value = match obj.cast::<PyString>() {
        Ok(s) => Value::String(bounded_str(py, s, name, MAX_TEXT_CHARS)?.into_owned()),
        Err(_) => from_python::to_value(obj, Doc::Ledger)
            .map_err(|e| e.at(Seg::Key(name.to_owned())).into_pyerr(py))?,
    };
    // rihla's strict reader (a four-digit year within 0000–9999 in UTC, so that the journal
    // can write it back), not chrono's lenient one.
    let strict: StrictInstant = deserialize(py, value, name)?;
    Ok(strict.0)
}

/// An instant read by `rihla_core::time::utc`.
#[derive(serde::Deserialize)]
#[serde(transparent)]
struct StrictInstant(#[serde(with = "rihla_core::time::utc")] DateTime<Utc>);

/// A `rihla.Ledger` argument (the native object the package's `Ledger` wraps).
pub(crate) fn ledger<'a, 'py>(
    py: Python<'py>,
    obj: &'a Bound<'py, PyAny>,
) -> PyResult<&'a Bound<'py, Ledger>> {
    obj.cast::<Ledger>().map_err(|_| {
        errors::from_binding(
            py,
            "INVALID_REQUEST",
            "ledger",
            "ledger must be a rihla.Ledger",
        )
    })
}
