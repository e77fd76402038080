//! A strict walk from Python objects to `serde_json::Value`, the input of
//! `QuoteRequest::from_value` / `Rulebook::from_value` (which then apply rihla's own
//! parsing, validation and limits, with field paths).
//!
//! | Python | JSON |
//! |---|---|
//! | `dict` (str keys), any other `collections.abc.Mapping` | object |
//! | `list`, `tuple` | array |
//! | `str` | string |
//! | `bool` | `true` / `false` |
//! | `int` | number (past 64 bits a float number, as `serde_json` reads such a literal) |
//! | `float` | number — which rihla refuses in every amount field (see below) |
//! | `None` | `null` |
//! | `decimal.Decimal` (finite, exact, within rihla's range) | its exact text, e.g. `"1234.50"` |
//! | aware `datetime.datetime` | RFC 3339 with its own UTC offset (`Z` for UTC): `"2026-03-01T12:30:00+03:00"`; an offset that is not whole minutes is written in UTC |
//! | `datetime.date` | `"2026-03-01"` |
//!
//! The JSON types map exactly as `json.loads` would have produced them, so a document
//! gives the same quote — or the same error code and field — whether the host passes the
//! `dict` or its JSON text. In particular a `float` in an amount field is refused by
//! rihla's strict decimal reader with `INVALID_AMOUNT` naming the field: a binary float is
//! never money.
//!
//! Refused here, with the field's path: `Decimal` NaN/Infinity, more than 28 fractional
//! digits or past the decimal range, and a NaN/infinite `float` (`INVALID_AMOUNT`); a naive
//! `datetime`, non-`str` keys, an integer too large even for a float, and any other type
//! (`INVALID_REQUEST`, or `INVALID_RULEBOOK` while reading a rulebook); nesting deeper than
//! [`MAX_DEPTH`], or larger than the byte limit that rihla puts on the document's JSON
//! text (`LIMIT_EXCEEDED`; see [`Doc::max_bytes`]), and in a ledger document a string
//! longer than [`MAX_LEDGER_STRING_CHARS`] (`LIMIT_EXCEEDED`).
//!
//! Sizes are counted before anything is copied: a `str`'s characters (a lower bound of its
//! UTF-8 bytes) before its text is, a `list`'s or `dict`'s length before it is iterated,
//! and a `Decimal`'s text length before it is read.
//!
//! A ledger document's lists are counted against the ledger crate's limits before they
//! are walked ([`Walker::with_lists`]: a stored points book's `lots`, a planner snapshot's
//! `transfers` …): past one, the crate's own `LIMIT_EXCEEDED` (`field`, `limit`, `actual`)
//! — what reading the whole document would have given, without walking it.
//!
//! In a ledger document ([`Doc::Ledger`]) the id fields ([`LEDGER_ID_KEYS`]) also take a
//! non-negative `int` or a `uuid.UUID`, written as the id's text (never through a float).
//!
//! This module converts shapes only; it knows nothing of which field is an amount.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::errors;
use crate::to_python::decimal_class;
use rihla_ledger::LimitExceeded;

/// Deepest nesting accepted (the top-level object is depth 1).
pub const MAX_DEPTH: usize = 64;

static MAPPING_ABC: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UUID_CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Which document is being read: decides the code of a structural error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doc {
    /// A quote request (`INVALID_REQUEST`).
    Request,
    /// A rulebook (`INVALID_RULEBOOK`).
    Rulebook,
    /// A ledger document: an account, a transfer, a points or cashback request, a planner
    /// snapshot … (`INVALID_REQUEST`). Its id fields ([`LEDGER_ID_KEYS`]) also take a
    /// non-negative `int` or a `uuid.UUID`, written as the id's text.
    Ledger,
}

/// Most bytes of JSON a ledger document may make (the ledger itself bounds batches by count,
/// not by bytes; this only keeps a runaway document from exhausting memory). The records
/// of one call (a batch, a list of accounts) share it.
pub const MAX_LEDGER_DOC_BYTES: usize = 1 << 30;

/// Most characters of one string (a key or a value) in a ledger document. The ledger's
/// longest texts are references, codes, owners and webhook keys of at most 128 characters;
/// this bounds what is copied before the crate checks them.
pub const MAX_LEDGER_STRING_CHARS: usize = 1 << 16;

/// Most characters of a `decimal.Decimal`'s text: every value rihla reads (at most 29
/// integer and 28 fractional digits, a sign and a point) has fewer.
const MAX_DECIMAL_TEXT_CHARS: usize = 64;

/// The keys whose value is an account or transfer id in the ledger's documents. In a
/// [`Doc::Ledger`] an `int` (not negative, not `bool`) or `uuid.UUID` under one of them
/// becomes the id's text (digits or the UUID), which the ledger's id parser reads; a `float`
/// there is refused. Other values (`str`, objects) are walked as usual.
pub const LEDGER_ID_KEYS: &[&str] = &[
    "id",
    "debit_account_id",
    "credit_account_id",
    "pending_id",
    "account_id",
    "transfer_id",
    "payment_id",
    "refund_id",
    "reversal_id",
    "clearing_account_id",
    "account",
    "issuer",
    "lot",
    "from",
    "to",
    "wallet",
    "source",
    "debt_account",
];

impl Doc {
    fn invalid_code(self) -> &'static str {
        match self {
            Doc::Request | Doc::Ledger => "INVALID_REQUEST",
            Doc::Rulebook => "INVALID_RULEBOOK",
        }
    }

    /// The limit on the document's JSON text (`rihla_pricing::limits`). The walk counts a
    /// lower bound of that text's length — one byte a value plus the bytes of every string
    /// and key — and stops past the limit, so it refuses only documents whose JSON text
    /// rihla would refuse too, and never builds a larger value than the text path would.
    pub fn max_bytes(self) -> usize {
        match self {
            Doc::Request => rihla_pricing::limits::MAX_REQUEST_BYTES,
            Doc::Rulebook => rihla_pricing::limits::MAX_RULEBOOK_BYTES,
            Doc::Ledger => MAX_LEDGER_DOC_BYTES,
        }
    }

    /// Most characters of one string of the document (the byte limit bounds those of a
    /// request or a rulebook).
    fn max_string_chars(self) -> usize {
        match self {
            Doc::Ledger => MAX_LEDGER_STRING_CHARS,
            Doc::Request | Doc::Rulebook => usize::MAX,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Doc::Request => "request",
            Doc::Rulebook => "rulebook",
            Doc::Ledger => "document",
        }
    }

    fn id_keys(self) -> &'static [&'static str] {
        match self {
            Doc::Ledger => LEDGER_ID_KEYS,
            Doc::Request | Doc::Rulebook => &[],
        }
    }
}

pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// What went wrong, before it becomes a Python exception.
pub(crate) enum WalkError {
    /// A rihla error found by the binding: code, message and the path, innermost segment
    /// first (segments are added while the error travels back up).
    Rihla {
        code: &'static str,
        message: String,
        rev_path: Vec<Seg>,
        /// The deciding values beyond the field and the reason (a limit's `limit` and
        /// `actual`).
        values: serde_json::Map<String, Value>,
    },
    /// A Python exception raised by user code (e.g. a custom `Mapping`), passed on as is.
    Python(PyErr),
    /// A list past one of the ledger crate's count limits ([`Walker::with_lists`]): the
    /// crate's own error.
    List(LimitExceeded),
}

impl WalkError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        WalkError::Rihla {
            code,
            message: message.into(),
            rev_path: Vec::new(),
            values: serde_json::Map::new(),
        }
    }

    /// `LIMIT_EXCEEDED` with its `limit` and `actual` (what was counted when the walk
    /// stopped: the document holds at least that much).
    fn limit(message: impl Into<String>, limit: usize, actual: usize) -> Self {
        let mut values = serde_json::Map::new();
        values.insert("limit".into(), limit.into());
        values.insert("actual".into(), actual.into());
        WalkError::Rihla {
            code: "LIMIT_EXCEEDED",
            message: message.into(),
            rev_path: Vec::new(),
            values,
        }
    }

    pub(crate) fn at(mut self, seg: Seg) -> Self {
        if let WalkError::Rihla { rev_path, .. } = &mut self {
            rev_path.push(seg);
        }
        self
    }

    /// The Python exception: a `RihlaError` whose `details` name the field (`field`, in
    /// the `items[0].unit_price` form of rihla's own errors, `$` for the whole document)
    /// and the `reason`, as the pricing crate's errors do.
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self {
            WalkError::Python(err) => err,
            WalkError::List(limit) => {
                errors::rihla_error(py, limit.code(), &limit.to_string(), &limit.to_value())
            }
            WalkError::Rihla {
                code,
                message,
                rev_path,
                values,
            } => {
                let mut field = render_path(&rev_path);
                if field.is_empty() {
                    field.push('$');
                }
                errors::from_binding_with(py, code, &field, &message, values)
            }
        }
    }
}

fn render_path(rev_path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in rev_path.iter().rev() {
        match seg {
            Seg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Converts a Python document (a `dict` or other `Mapping`, usually) to JSON.
pub fn to_value(obj: &Bound<'_, PyAny>, doc: Doc) -> Result<Value, WalkError> {
    Walker::new(doc).read(obj)
}

/// The walk of one document, which may come in parts (the records of a batch): every part
/// read with the same walker counts against the same byte limit.
pub(crate) struct Walker {
    doc: Doc,
    /// Lower bound of the JSON text's length so far.
    size: usize,
    /// The lists counted before they are walked: `(key, limit)`.
    lists: ListLimits,
}

/// The count limits of the lists a ledger document holds, by key: a `list` or `tuple`
/// under one of these keys (at any depth) holding more than its limit is refused before
/// it is walked, with the crate's `LIMIT_EXCEEDED` naming the key. The keys are the
/// crate's own field names, so the answer is the one the crate gives reading the
/// document.
pub(crate) type ListLimits = &'static [(&'static str, usize)];

/// The name of `obj`'s type, for messages (a long one is cut: it is the host's text).
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    const MAX_CHARS: usize = 100;
    match obj.get_type().name() {
        Ok(name) if name.code_point_len().is_ok_and(|n| n <= MAX_CHARS) => name.to_string(),
        Ok(_) => "a type with a long name".to_owned(),
        Err(_) => "?".to_owned(),
    }
}

impl Walker {
    pub(crate) fn new(doc: Doc) -> Self {
        Walker {
            doc,
            size: 0,
            lists: &[],
        }
    }

    /// A walker that counts the lists under `lists`' keys against their limits before
    /// walking them: at the top of a `dict` document all of them first (so that a list
    /// past its limit is refused before the lists before it are walked), and at any depth
    /// as they are met.
    pub(crate) fn with_lists(doc: Doc, lists: ListLimits) -> Self {
        Walker {
            doc,
            size: 0,
            lists,
        }
    }

    /// Converts one document, or one part of it, to JSON.
    pub(crate) fn read(&mut self, obj: &Bound<'_, PyAny>) -> Result<Value, WalkError> {
        if let Ok(dict) = obj.cast::<PyDict>() {
            for (key, _) in self.lists {
                if let Some(value) = dict.get_item(key).map_err(WalkError::Python)? {
                    self.check_list(key, &value)?;
                }
            }
        }
        self.walk(obj, 1)
    }

    /// Refuses a `list` or `tuple` under `key` longer than its limit in [`Walker::lists`].
    fn check_list(&self, key: &str, value: &Bound<'_, PyAny>) -> Result<(), WalkError> {
        let Some((field, limit)) = self.lists.iter().find(|(k, _)| *k == key) else {
            return Ok(());
        };
        let len = if let Ok(list) = value.cast::<PyList>() {
            list.len()
        } else if let Ok(tuple) = value.cast::<PyTuple>() {
            tuple.len()
        } else {
            return Ok(());
        };
        if len > *limit {
            return Err(WalkError::List(LimitExceeded::new(*field, *limit, len)));
        }
        Ok(())
    }

    fn charge(&mut self, bytes: usize) -> Result<(), WalkError> {
        self.size = self.size.saturating_add(bytes);
        let limit = self.doc.max_bytes();
        if self.size > limit {
            return Err(WalkError::limit(
                format!(
                    "the {} is larger than its limit of {limit} bytes of JSON",
                    self.doc.name()
                ),
                limit,
                self.size,
            ));
        }
        Ok(())
    }

    /// A string's text, its size counted before it is copied: its characters (a lower
    /// bound of its UTF-8 bytes), then the rest of its bytes.
    fn string(&mut self, s: &Bound<'_, PyString>) -> Result<String, WalkError> {
        let chars = s.code_point_len().map_err(WalkError::Python)?;
        let max = self.doc.max_string_chars();
        if chars > max {
            return Err(WalkError::limit(
                format!("a string of {chars} characters, more than the limit of {max}"),
                max,
                chars,
            ));
        }
        self.charge(chars)?;
        let text = py_str(s, self.doc.invalid_code())?.into_owned();
        self.charge(text.len().saturating_sub(chars))?;
        Ok(text)
    }

    fn walk(&mut self, obj: &Bound<'_, PyAny>, depth: usize) -> Result<Value, WalkError> {
        self.charge(1)?;
        if depth > MAX_DEPTH {
            return Err(WalkError::limit(
                format!("document is nested deeper than {MAX_DEPTH} levels"),
                MAX_DEPTH,
                depth,
            ));
        }
        let invalid = self.doc.invalid_code();

        if let Ok(s) = obj.cast::<PyString>() {
            return self.string(s).map(Value::String);
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            // Each entry adds at least `"":` and a separator to the text: counted before
            // the items are copied.
            self.charge(dict.len().saturating_mul(4))?;
            // Iterate over a snapshot of the items: user code run during the walk (a custom
            // tzinfo, a Decimal subclass) could resize the dict, and iterating a dict that
            // changes size is a panic in pyo3.
            let mut map = Map::new();
            for item in dict.items().iter() {
                let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
                    item.extract().map_err(WalkError::Python)?;
                self.entry(&mut map, &key, &value, depth)?;
            }
            return Ok(Value::Object(map));
        }
        if let Ok(list) = obj.cast::<PyList>() {
            // Each element adds a separator to the text: counted before iterating.
            self.charge(list.len())?;
            let mut items = Vec::with_capacity(list.len().min(4096));
            for (i, item) in list.iter().enumerate() {
                items.push(
                    self.walk(&item, depth + 1)
                        .map_err(|e| e.at(Seg::Index(i)))?,
                );
            }
            return Ok(Value::Array(items));
        }
        if obj.is_instance_of::<PyBool>() {
            return Ok(Value::Bool(obj.is_truthy().map_err(WalkError::Python)?));
        }
        if obj.is_instance_of::<PyInt>() {
            return int_value(obj, invalid);
        }
        if obj.is_none() {
            return Ok(Value::Null);
        }
        let py = obj.py();
        if obj
            .is_instance(decimal_class(py).map_err(WalkError::Python)?)
            .map_err(WalkError::Python)?
        {
            let text = decimal_from_py(obj)?.to_string();
            self.charge(text.len())?;
            return Ok(Value::String(text));
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return float_value(f.value());
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            self.charge(tuple.len())?;
            let mut items = Vec::with_capacity(tuple.len().min(4096));
            for (i, item) in tuple.iter().enumerate() {
                items.push(
                    self.walk(&item, depth + 1)
                        .map_err(|e| e.at(Seg::Index(i)))?,
                );
            }
            return Ok(Value::Array(items));
        }
        if let Ok(dt) = obj.cast::<PyDateTime>() {
            return datetime_value(dt, invalid);
        }
        if let Ok(date) = obj.cast::<PyDate>() {
            return date_value(date, invalid);
        }
        let mapping = MAPPING_ABC
            .import(py, "collections.abc", "Mapping")
            .map_err(WalkError::Python)?;
        if obj.is_instance(mapping).map_err(WalkError::Python)? {
            let mut map = Map::new();
            let items = obj
                .call_method0("items")
                .and_then(|items| items.try_iter())
                .map_err(WalkError::Python)?;
            for item in items {
                // `"":` and a separator (a custom Mapping's length is not trusted).
                self.charge(4)?;
                let item = item.map_err(WalkError::Python)?;
                let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
                    item.extract().map_err(WalkError::Python)?;
                self.entry(&mut map, &key, &value, depth)?;
            }
            return Ok(Value::Object(map));
        }
        Err(WalkError::new(
            invalid,
            format!(
                "unsupported type {}: expected dict, list, str, int, bool, None, \
                 decimal.Decimal, datetime or date",
                type_name(obj)
            ),
        ))
    }

    fn entry(
        &mut self,
        map: &mut Map<String, Value>,
        key: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
        depth: usize,
    ) -> Result<(), WalkError> {
        let invalid = self.doc.invalid_code();
        let key = match key.cast::<PyString>() {
            Ok(s) => self.string(s)?,
            Err(_) => {
                return Err(WalkError::new(
                    invalid,
                    format!("object keys must be str, not {}", type_name(key)),
                ))
            }
        };
        self.check_list(&key, value)?;
        if self.doc.id_keys().contains(&key.as_str()) {
            match id_value(value) {
                Ok(Some(text)) => {
                    self.charge(text.len())
                        .map_err(|e| e.at(Seg::Key(key.clone())))?;
                    map.insert(key, Value::String(text));
                    return Ok(());
                }
                Ok(None) => {}
                Err(e) => return Err(e.at(Seg::Key(key))),
            }
        }
        match self.walk(value, depth + 1) {
            Ok(v) => {
                map.insert(key, v);
                Ok(())
            }
            Err(e) => Err(e.at(Seg::Key(key))),
        }
    }
}

/// An id given as a non-negative `int` or a `uuid.UUID`: its text (decimal digits, or the
/// UUID's canonical form); `None` for a value to walk as usual (a `str`, an object …). A
/// `float`, a negative `int` or one past 2¹²⁸ − 1 is refused.
pub(crate) fn id_value(obj: &Bound<'_, PyAny>) -> Result<Option<String>, WalkError> {
    let invalid = |reason: &str| WalkError::new("INVALID_REQUEST", reason);
    if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        if obj.lt(0).map_err(WalkError::Python)? {
            return Err(invalid("an id is not negative"));
        }
        // Through u128, never a float: the digits are exact.
        return obj
            .extract::<u128>()
            .map(|v| Some(v.to_string()))
            .map_err(|_| invalid("id is beyond 2^128 - 1"));
    }
    if obj.is_instance_of::<PyFloat>() {
        return Err(invalid(
            "a float is never an id: give a str (digits or a UUID), an int or a uuid.UUID",
        ));
    }
    let uuid = UUID_CLASS
        .import(obj.py(), "uuid", "UUID")
        .map_err(WalkError::Python)?;
    if obj.is_instance(uuid).map_err(WalkError::Python)? {
        let text = obj.str().map_err(WalkError::Python)?;
        return Ok(Some(text.to_string_lossy().into_owned()));
    }
    Ok(None)
}

fn py_str<'a>(
    s: &'a Bound<'_, PyString>,
    invalid: &'static str,
) -> Result<Cow<'a, str>, WalkError> {
    s.to_cow()
        .map_err(|_| WalkError::new(invalid, "string is not valid Unicode (lone surrogate)"))
}

fn int_value(obj: &Bound<'_, PyAny>, invalid: &'static str) -> Result<Value, WalkError> {
    if let Ok(v) = obj.extract::<i64>() {
        return Ok(Value::from(v));
    }
    if let Ok(v) = obj.extract::<u64>() {
        return Ok(Value::from(v));
    }
    // Past 64 bits serde_json reads an integer literal as a float; do the same, so that
    // the value meets the same refusal (INVALID_AMOUNT in an amount field, a type error
    // elsewhere) as in JSON text.
    match obj.extract::<f64>() {
        Ok(f) if f.is_finite() => float_value(f),
        _ => Err(WalkError::new(
            invalid,
            "integer out of range: rihla integers fit in 64 bits",
        )),
    }
}

/// A `float` becomes a JSON number, exactly as `json.loads` → JSON text would carry it, so
/// `quote(json.load(f))` and `quote(f.read())` agree. rihla's decimal reader refuses a
/// number in every amount field (`INVALID_AMOUNT` naming the field: a binary float is
/// never money); any other field refuses it as a type error. NaN and infinities, which
/// JSON cannot carry, are refused here.
fn float_value(f: f64) -> Result<Value, WalkError> {
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| {
            WalkError::new(
                "INVALID_AMOUNT",
                format!("{f} is not a finite number (and a float is never money in rihla)"),
            )
        })
}

/// Reads a `decimal.Decimal` exactly (or an `int`, which is exact too), with
/// `rihla_core::decimal_string::parse`'s rules: finite, at most 28 fractional digits,
/// within `Decimal`'s range; `-0` reads as `0`. A `float` or anything else is refused.
pub fn decimal_from_py(obj: &Bound<'_, PyAny>) -> Result<Decimal, WalkError> {
    let py = obj.py();
    let is_decimal = obj
        .is_instance(decimal_class(py).map_err(WalkError::Python)?)
        .map_err(WalkError::Python)?;
    if !is_decimal {
        if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
            return obj
                .extract::<i128>()
                .ok()
                .and_then(|v| Decimal::try_from_i128_with_scale(v, 0).ok())
                .ok_or_else(|| {
                    WalkError::new(
                        "INVALID_AMOUNT",
                        "integer amount outside the decimal range (±7.9e28)",
                    )
                });
        }
        let what = if obj.is_instance_of::<PyFloat>() {
            "a float is never money in rihla".to_owned()
        } else {
            format!("got {}", type_name(obj))
        };
        return Err(WalkError::new(
            "INVALID_AMOUNT",
            format!("expected decimal.Decimal: {what}"),
        ));
    }
    // `str()` is exact and short; it switches to scientific notation for large exponents,
    // where `format(d, "f")` would expand the digits. Expand only when the magnitude is
    // within range, so that Decimal("1e999999999") cannot allocate a gigabyte.
    let text = obj.str().map_err(WalkError::Python)?;
    let chars = text.code_point_len().map_err(WalkError::Python)?;
    if chars > MAX_DECIMAL_TEXT_CHARS {
        return Err(WalkError::new(
            "INVALID_AMOUNT",
            format!(
                "a Decimal of {chars} characters is outside the decimal range (±7.9e28, at most 28 fractional digits)"
            ),
        ));
    }
    let text = text.to_cow().map_err(WalkError::Python)?.into_owned();
    if text.contains("NaN") || text.contains("Inf") {
        return Err(WalkError::new(
            "INVALID_AMOUNT",
            format!("Decimal({text:?}): NaN and Infinity are not amounts"),
        ));
    }
    let plain = if text.contains(['E', 'e']) {
        let adjusted: i64 = obj
            .call_method0("adjusted")
            .and_then(|a| a.extract())
            .map_err(WalkError::Python)?;
        if !(-30..=29).contains(&adjusted) {
            return Err(WalkError::new(
                "INVALID_AMOUNT",
                format!(
                    "Decimal({text:?}) is outside the decimal range (±7.9e28, at most 28 fractional digits)"
                ),
            ));
        }
        let formatted = obj
            .call_method1("__format__", ("f",))
            .and_then(|f| f.str())
            .map_err(WalkError::Python)?;
        let formatted = formatted.to_cow().map_err(WalkError::Python)?.into_owned();
        formatted
    } else {
        text
    };
    rihla_core::decimal_string::parse(&plain).map_err(|msg| WalkError::new("INVALID_AMOUNT", msg))
}

fn utc(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    UTC.get_or_try_init(py, || {
        Ok::<_, PyErr>(
            py.import("datetime")?
                .getattr("timezone")?
                .getattr("utc")?
                .unbind(),
        )
    })
    .map(|u| u.bind(py))
}

fn datetime_value(dt: &Bound<'_, PyDateTime>, invalid: &'static str) -> Result<Value, WalkError> {
    let py = dt.py();
    let offset = dt.call_method0("utcoffset").map_err(WalkError::Python)?;
    if offset.is_none() {
        return Err(WalkError::new(
            invalid,
            "naive datetime: give a timezone-aware datetime (e.g. tzinfo=datetime.timezone.utc)",
        ));
    }
    let in_utc = dt
        .call_method1("astimezone", (utc(py).map_err(WalkError::Python)?,))
        .map_err(|e| {
            WalkError::new(invalid, format!("datetime cannot be expressed in UTC: {e}"))
        })?;
    let utc_dt: chrono::DateTime<chrono::Utc> = in_utc
        .extract()
        .map_err(|e| WalkError::new(invalid, format!("unsupported datetime: {e}")))?;
    // Keep the datetime's own offset: the instant is the same, and fields read as local
    // time with their offset (a charter leg's or a flight segment's departure, whose
    // local date decides surcharges, daily minimums and fare rules) get the local date
    // the host meant, as they would from the JSON text. An offset RFC 3339 cannot write
    // (seconds or microseconds, e.g. a zoneinfo LMT offset) falls back to UTC.
    let text = match rfc3339_offset(&offset) {
        Some(fixed) => utc_dt
            .with_timezone(&fixed)
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        None => utc_dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    };
    Ok(Value::String(text))
}

/// The `utcoffset()` of an aware datetime as a `FixedOffset`, when it is a whole number
/// of minutes (what RFC 3339 can write); `None` otherwise.
fn rfc3339_offset(offset: &Bound<'_, PyAny>) -> Option<chrono::FixedOffset> {
    let delta: chrono::TimeDelta = offset.extract().ok()?;
    if delta.subsec_nanos() != 0 {
        return None;
    }
    let seconds = i32::try_from(delta.num_seconds()).ok()?;
    if seconds % 60 != 0 {
        return None;
    }
    chrono::FixedOffset::east_opt(seconds)
}

fn date_value(date: &Bound<'_, PyDate>, invalid: &'static str) -> Result<Value, WalkError> {
    let d: chrono::NaiveDate = date
        .extract()
        .map_err(|e| WalkError::new(invalid, format!("unsupported date: {e}")))?;
    Ok(Value::String(d.format("%Y-%m-%d").to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_rihlas_own() {
        // Segments are collected innermost first while an error travels up.
        let rev = vec![
            Seg::Key("unit_price".into()),
            Seg::Index(0),
            Seg::Key("items".into()),
        ];
        assert_eq!(render_path(&rev), "items[0].unit_price");
        assert_eq!(render_path(&[Seg::Index(3)]), "[3]");
        assert_eq!(render_path(&[]), "");
    }

    #[test]
    fn byte_budgets_follow_the_pricing_limits() {
        assert_eq!(
            Doc::Request.max_bytes(),
            rihla_pricing::limits::MAX_REQUEST_BYTES
        );
        assert_eq!(
            Doc::Rulebook.max_bytes(),
            rihla_pricing::limits::MAX_RULEBOOK_BYTES
        );
        assert_eq!(Doc::Request.invalid_code(), "INVALID_REQUEST");
        assert_eq!(Doc::Rulebook.invalid_code(), "INVALID_RULEBOOK");
        assert_eq!(Doc::Ledger.invalid_code(), "INVALID_REQUEST");
        assert!(Doc::Request.id_keys().is_empty() && Doc::Rulebook.id_keys().is_empty());
        assert!(Doc::Ledger.id_keys().contains(&"debit_account_id"));
    }
}
