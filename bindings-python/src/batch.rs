//! Many requests in one call, and JSON straight through: `Rulebook.quote_json`,
//! `Rulebook.quote_many` and `Rulebook.quote_many_json`.
//!
//! A batch reads its Python arguments with the GIL held (the dict walk needs it), then
//! prices every request with the GIL released for the whole batch, so that other Python
//! threads run meanwhile. One result per request, in order: a failed request gives its
//! `RihlaError` *instance* in its place (not raised), so one bad search result does not
//! lose the other 199. A Rust panic while pricing one request gives an `InternalError`
//! in that request's place.

use std::borrow::Cow;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

use rihla_pricing::{QuoteRequest, Rulebook};

use crate::{args, boundary, errors};

/// Most requests one `quote_many` / `quote_many_json` call takes (a search-results page
/// prices a few hundred options; a repricing job sends several batches).
pub const MAX_BATCH_REQUESTS: usize = 10_000;

/// What pricing one request of a batch came to (computed with the GIL released).
enum Outcome<T> {
    Done(T),
    Failed(rihla_pricing::Error),
    /// A Rust panic: a rihla defect, with the panic's message.
    Panicked(String),
}

impl<T> Outcome<T> {
    /// Runs `f`, catching a panic (unwind safety: `f` only reads an immutable rulebook).
    fn of(f: impl FnOnce() -> Result<T, rihla_pricing::Error>) -> Self {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(Ok(v)) => Outcome::Done(v),
            Ok(Err(e)) => Outcome::Failed(e),
            Err(payload) => Outcome::Panicked(boundary::panic_message(payload.as_ref()).to_owned()),
        }
    }

    /// The Python value of this outcome: `done(v)`, or the error instance in its place.
    fn into_py<'py>(
        self,
        py: Python<'py>,
        done: impl FnOnce(T) -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Outcome::Done(v) => done(v),
            Outcome::Failed(e) => Ok(errors::from_pricing(py, &e)
                .into_value(py)
                .into_bound(py)
                .into_any()),
            Outcome::Panicked(m) => Ok(errors::internal(py, &format!("a Rust panic: {m}"))
                .into_value(py)
                .into_bound(py)
                .into_any()),
        }
    }
}

/// Fewest requests a thread of a batch takes: below it, spawning costs more than it saves.
const MIN_REQUESTS_PER_THREAD: usize = 32;

/// Most threads one batch uses.
const MAX_BATCH_THREADS: usize = 8;

/// `f` over `items`, in order, on up to [`MAX_BATCH_THREADS`] scoped threads (as many as
/// the machine has cores, each taking at least [`MIN_REQUESTS_PER_THREAD`]); the pure
/// crates share an immutable rulebook between threads. `f` catches its own panics
/// ([`Outcome::of`]); a thread that still fails leaves `None` (never priced) for its part.
fn in_parallel<'a, T: Sync, R: Send>(
    items: &'a [T],
    f: impl Fn(&'a T) -> Option<Outcome<R>> + Sync,
) -> Vec<Option<Outcome<R>>> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let threads = cores
        .min(MAX_BATCH_THREADS)
        .min(items.len() / MIN_REQUESTS_PER_THREAD)
        .max(1);
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                (
                    part.len(),
                    scope.spawn(|| part.iter().map(&f).collect::<Vec<_>>()),
                )
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(len, handle)| {
                handle
                    .join()
                    .unwrap_or_else(|_| (0..len).map(|_| None).collect())
            })
            .collect()
    })
}

/// The items of a batch argument (a `list`, `tuple` or other sized sequence; not text or
/// a mapping), counted before any is read: past [`MAX_BATCH_REQUESTS`], `LIMIT_EXCEEDED`
/// with field `requests`, `limit` and `actual`.
fn items<'py>(py: Python<'py>, obj: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let not_a_list = || {
        errors::from_binding(
            py,
            "INVALID_REQUEST",
            "requests",
            "requests must be a list of requests",
        )
    };
    if args::is_text_or_mapping(obj) {
        return Err(not_a_list());
    }
    let len = obj.len().map_err(|_| not_a_list())?;
    if len > MAX_BATCH_REQUESTS {
        return Err(errors::from_pricing(
            py,
            &rihla_pricing::Error::LimitExceeded {
                field: "requests".to_owned(),
                limit: MAX_BATCH_REQUESTS,
                actual: len,
            },
        ));
    }
    let mut out = Vec::with_capacity(len);
    for item in obj.try_iter().map_err(|_| not_a_list())?.take(len) {
        out.push(item?);
    }
    Ok(out)
}

/// `Rulebook.quote_json`: JSON text in (`bytes`, `bytearray` or `str`, at most
/// `MAX_REQUEST_BYTES`), the quote's JSON out as UTF-8 `bytes` (amounts as strings); no
/// Python object in between, the GIL released while parsing, pricing and writing.
pub(crate) fn quote_json<'py>(
    py: Python<'py>,
    rulebook: &Rulebook,
    request: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let text = json_request(py, request, "request")?;
    let json = py
        .detach(|| quote_text(rulebook, &text))
        .map_err(|e| errors::from_pricing(py, &e))?;
    Ok(PyBytes::new(py, json.as_bytes()))
}

/// A request argument that must be JSON text.
fn json_request<'a>(
    py: Python<'_>,
    obj: &'a Bound<'_, PyAny>,
    field: &str,
) -> PyResult<Cow<'a, str>> {
    let max = rihla_pricing::limits::MAX_REQUEST_BYTES;
    args::json_text(py, obj, "request", max)?.ok_or_else(|| {
        errors::from_binding(
            py,
            "INVALID_REQUEST",
            field,
            "expected JSON text (bytes or str); use quote / quote_many for a dict",
        )
    })
}

fn quote_text(rulebook: &Rulebook, text: &str) -> Result<String, rihla_pricing::Error> {
    let request = QuoteRequest::from_json(text)?;
    Ok(rulebook.quote(&request)?.to_json())
}

/// `Rulebook.quote_many`: each request a `dict`/`Mapping` or JSON text; a `list` of the
/// quotes (as `Rulebook.quote` gives them) with each failed request's `RihlaError` in its
/// place.
pub(crate) fn quote_many<'py>(
    py: Python<'py>,
    rulebook: &Rulebook,
    requests: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let items = items(py, requests)?;
    let parsed: Vec<PyResult<QuoteRequest>> = items
        .iter()
        .map(|obj| crate::parse_request(py, obj, QuoteRequest::from_json, QuoteRequest::from_value))
        .collect();
    let valid: Vec<Option<&QuoteRequest>> = parsed.iter().map(|r| r.as_ref().ok()).collect();
    let outcomes: Vec<Option<Outcome<rihla_pricing::Quote>>> = py.detach(|| {
        // In order on this thread: the quotes then become Python objects here, and a
        // quote built on another thread costs more to read and free than it saved.
        valid
            .iter()
            .map(|r| r.map(|r| Outcome::of(|| rulebook.quote(r))))
            .collect()
    });
    answers(py, &parsed, outcomes, |q| crate::record::of(py, &q))
}

/// `Rulebook.quote_many_json`: each request JSON text (`bytes`, `bytearray` or `str`); a
/// `list` of the quotes' JSON (`bytes`) with each failed request's `RihlaError` in its
/// place. Parsing, pricing and writing all run with the GIL released.
pub(crate) fn quote_many_json<'py>(
    py: Python<'py>,
    rulebook: &Rulebook,
    requests: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let items = items(py, requests)?;
    let texts: Vec<PyResult<Cow<'_, str>>> = items
        .iter()
        .enumerate()
        .map(|(i, obj)| json_request(py, obj, &format!("requests[{i}]")))
        .collect();
    let valid: Vec<Option<&str>> = texts.iter().map(|t| t.as_deref().ok()).collect();
    let outcomes: Vec<Option<Outcome<String>>> = py.detach(|| {
        in_parallel(&valid, |t| {
            t.map(|t| Outcome::of(|| quote_text(rulebook, t)))
        })
    });
    answers(py, &texts, outcomes, |json| {
        Ok(PyBytes::new(py, json.as_bytes()).into_any())
    })
}

/// The batch's answer list: for each request, its read error (`read`), or its outcome
/// made Python by `done`, or its error, in its place.
fn answers<'py, T, R>(
    py: Python<'py>,
    read: &[PyResult<T>],
    outcomes: Vec<Option<Outcome<R>>>,
    done: impl Fn(R) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for (read, outcome) in read.iter().zip(outcomes) {
        let value = match (read, outcome) {
            (Err(e), _) => e.clone_ref(py).into_value(py).into_bound(py).into_any(),
            (Ok(_), Some(o)) => o.into_py(py, &done)?,
            // A priced request's thread failed ([`in_parallel`]): a rihla defect.
            (Ok(_), None) => errors::internal(py, "a parsed request was not priced")
                .into_value(py)
                .into_bound(py)
                .into_any(),
        };
        list.append(value)?;
    }
    Ok(list)
}
