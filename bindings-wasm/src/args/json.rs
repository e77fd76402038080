//! Document arguments (a request, a rulebook, a ledger batch …): an object or its JSON
//! text, read as JSON text under a byte limit that is checked before the expensive work.
//!
//! - A string: its JS `length` (UTF-16 code units, never more than its UTF-8 bytes) is
//!   checked against the limit before it is copied into the module's memory, then its
//!   bytes.
//! - An object or array: `JSON.stringify` runs with a replacer that adds up a lower bound
//!   of the bytes each key and value will take (a string's length and quotes, a number's
//!   exact text, `true`, `null`, brackets, separators; a key whose value is left out counts
//!   one byte) and stops the serialization as soon as that passes the limit, or as soon as
//!   the nesting passes [`MAX_DEPTH`]. So a 40 MB object costs the walk of about the
//!   limit's worth of it, not its whole text; the text it gives is then checked like a
//!   string.
//!
//! Past the limit: `LIMIT_EXCEEDED` with `details.field` `"<what> bytes"`, `details.limit`
//! the limit and `details.actual` the bytes counted when it stopped (the exact count when
//! the text was measured, otherwise a lower bound). A value of another type is
//! `INVALID_REQUEST` naming the argument; one with no JSON form (a cycle, a BigInt, a
//! throwing `toJSON`), or nested deeper than [`MAX_DEPTH`], is `INVALID_JSON`.

use super::{invalid_request, kind, limit_exceeded};
use crate::{js_error, INVALID_JSON};
use serde_json::json;
use wasm_bindgen::closure::ScopedClosure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Deepest nesting of objects and arrays in a document: 128 levels, the most rihla's JSON
/// reader accepts. The walk stops past it, before `JSON.stringify` recurses further.
pub const MAX_DEPTH: usize = 128;

/// `INVALID_JSON` with `reason`.
pub(crate) fn invalid_json(reason: String) -> JsValue {
    let message = format!("malformed JSON: {reason}");
    js_error(
        INVALID_JSON,
        &message,
        &json!({"code": INVALID_JSON, "message": message, "reason": reason}),
    )
}

/// The JSON text of document `what`: a string as given, or `JSON.stringify` of an object
/// or array, at most `max_bytes` bytes either way (see the module).
pub(crate) fn document(value: &JsValue, what: &str, max_bytes: usize) -> Result<String, JsValue> {
    if value.is_string() {
        return bounded_text(value, what, max_bytes);
    }
    if !value.is_object() {
        return Err(invalid_request(
            what,
            format!("an object or its JSON text, not {}", kind(value)),
        ));
    }
    let text = stringify(value, what, max_bytes)?;
    bounded_text(&text, what, max_bytes)
}

/// The JSON text of document `what` given only as text (a string of at most `max_bytes`
/// bytes).
pub(crate) fn text_document(
    value: &JsValue,
    what: &str,
    max_bytes: usize,
) -> Result<String, JsValue> {
    if !value.is_string() {
        return Err(invalid_request(
            what,
            format!("a string of text, not {}", kind(value)),
        ));
    }
    bounded_text(value, what, max_bytes)
}

/// A JS string of at most `max_bytes` UTF-8 bytes, its length checked before the copy.
fn bounded_text(value: &JsValue, what: &str, max_bytes: usize) -> Result<String, JsValue> {
    let field = || format!("{what} bytes");
    let limit = u64::try_from(max_bytes).unwrap_or(u64::MAX);
    let Some(string) = value.dyn_ref::<js_sys::JsString>() else {
        return Err(invalid_json(format!("the {what} has no JSON form")));
    };
    // UTF-16 code units never outnumber UTF-8 bytes: past the limit in units is past it
    // in bytes, refused without the copy.
    let units = u64::from(string.length());
    if units > limit {
        return Err(limit_exceeded(&field(), limit, units));
    }
    let text = String::from(string);
    let bytes = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if bytes > limit {
        return Err(limit_exceeded(&field(), limit, bytes));
    }
    Ok(text)
}

/// `JSON.stringify(value)` under the walk's budget: the JSON text (a JS string, not yet
/// copied), or the refusal.
fn stringify(value: &JsValue, what: &str, max_bytes: usize) -> Result<JsValue, JsValue> {
    let mut walk = Walk::new(u64::try_from(max_bytes).unwrap_or(u64::MAX));
    let result = {
        let mut replacer = |key: JsValue, value: JsValue| -> Result<JsValue, JsValue> {
            if walk.visit(&key, &value) {
                Ok(value)
            } else {
                Err(JsValue::from_str("rihla: document budget exceeded"))
            }
        };
        // Aborting: the replacer cannot panic (no indexing, no unwrap, checked counts), and
        // the package is built with panic = "abort" anyway.
        let closure = ScopedClosure::<dyn FnMut(JsValue, JsValue) -> Result<JsValue, JsValue>>::borrow_mut_aborting(
            &mut replacer,
        );
        js_sys::JSON::stringify_with_replacer(value, closure.as_js_value())
    };
    match (result, walk.stop) {
        (_, Some(Stop::Size)) => Err(limit_exceeded(
            &format!("{what} bytes"),
            walk.limit,
            walk.counted,
        )),
        (_, Some(Stop::Depth)) => Err(invalid_json(format!(
            "the {what} nests objects and arrays deeper than {MAX_DEPTH} levels"
        ))),
        (Ok(text), None) => Ok(text.into()),
        (Err(e), None) => {
            let reason = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| kind(&e).to_owned());
            Err(invalid_json(format!(
                "the {what} has no JSON form: {}",
                reason.chars().take(200).collect::<String>()
            )))
        }
    }
}

/// Why the walk stopped `JSON.stringify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// The bytes counted passed the limit.
    Size,
    /// The nesting passed [`MAX_DEPTH`].
    Depth,
}

/// An object or array being serialized: whether it is an array, and how many of its keys
/// `JSON.stringify` has yet to visit.
#[derive(Clone, Copy, Debug)]
struct Frame {
    array: bool,
    left: u32,
}

/// Where a visited value sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Parent {
    Root,
    Array,
    Object,
}

/// The replacer's state: `JSON.stringify` visits keys depth first, so the containers
/// still open, with the keys each has left, give the parent and the depth of each value.
#[derive(Debug)]
struct Walk {
    limit: u64,
    counted: u64,
    frames: Vec<Frame>,
    started: bool,
    stop: Option<Stop>,
}

impl Walk {
    fn new(limit: u64) -> Walk {
        Walk {
            limit,
            counted: 0,
            frames: Vec::new(),
            started: false,
            stop: None,
        }
    }

    /// Counts `value` (under `key`) and says whether the serialization may go on.
    fn visit(&mut self, key: &JsValue, value: &JsValue) -> bool {
        let parent = self.parent();
        let cost = match (parent, self.value_cost(value)) {
            (Parent::Object, Some(v)) => {
                // "key":value, — quotes, colon, separator (a key is always a string).
                let key_len = u64::from(key.unchecked_ref::<js_sys::JsString>().length());
                key_len.saturating_add(4).saturating_add(v)
            }
            // Left out of an object: no bytes, but every key visited counts one, so that
            // the walk is bounded too.
            (Parent::Object | Parent::Root, None) => 1,
            // `null` in an array, then the separator.
            (Parent::Array, None) => 5,
            (Parent::Array, Some(v)) => v.saturating_add(1),
            (Parent::Root, Some(v)) => v,
        };
        self.counted = self.counted.saturating_add(cost);
        if self.frames.len() > MAX_DEPTH {
            self.stop = Some(Stop::Depth);
        } else if self.counted > self.limit {
            self.stop = Some(Stop::Size);
        }
        self.stop.is_none()
    }

    /// The parent of the value now visited, its key taken off the parent's count.
    fn parent(&mut self) -> Parent {
        if !self.started {
            self.started = true;
            return Parent::Root;
        }
        while self.frames.last().is_some_and(|f| f.left == 0) {
            self.frames.pop();
        }
        match self.frames.last_mut() {
            Some(frame) => {
                frame.left = frame.left.saturating_sub(1);
                if frame.array {
                    Parent::Array
                } else {
                    Parent::Object
                }
            }
            // More keys than the containers announced (a proxy, a getter that adds keys):
            // counted as array elements, the smaller cost.
            None => Parent::Array,
        }
    }

    /// A lower bound of the bytes of `value`'s own JSON text (a container: its opening
    /// bracket, the rest counted with its keys; a container is opened as a frame), or
    /// `None` for a value `JSON.stringify` leaves out (`undefined`, a function, a symbol).
    /// The checks go from the most common kind of value to the least, each a call out of
    /// the module.
    fn value_cost(&mut self, value: &JsValue) -> Option<u64> {
        if let Some(s) = value.dyn_ref::<js_sys::JsString>() {
            return Some(u64::from(s.length()).saturating_add(2));
        }
        if let Some(n) = value.as_f64() {
            return Some(number_len(n));
        }
        if value.is_object() {
            return Some(self.open(value));
        }
        if let Some(b) = value.as_bool() {
            return Some(if b { 4 } else { 5 });
        }
        if value.is_null() {
            return Some(4);
        }
        if value.is_bigint() {
            // JSON.stringify throws on it next.
            return Some(1);
        }
        None
    }

    /// An object or array about to be serialized: its opening bracket, and a frame with
    /// the keys `JSON.stringify` will visit (none for a boxed primitive, `new
    /// String("…")`, which is written as its primitive).
    fn open(&mut self, value: &JsValue) -> u64 {
        let frame = if js_sys::Array::is_array(value) {
            Frame {
                array: true,
                left: value.unchecked_ref::<js_sys::Array>().length(),
            }
        } else if value.is_instance_of::<js_sys::JsString>()
            || value.is_instance_of::<js_sys::Number>()
            || value.is_instance_of::<js_sys::Boolean>()
            || value.is_instance_of::<js_sys::BigInt>()
        {
            return 1;
        } else {
            Frame {
                array: false,
                left: js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).length(),
            }
        };
        self.frames.push(frame);
        1
    }
}

/// The length of the text JavaScript gives the number `n` (`Number.prototype.toString`,
/// as `JSON.stringify` writes it; `null` for NaN and ±Infinity): the shortest digits that
/// read back as `n`, laid out by ECMAScript's rules (plain up to 21 integer digits and down
/// to 6 leading zeros, otherwise an exponent).
fn number_len(n: f64) -> u64 {
    if !n.is_finite() {
        return 4;
    }
    if n == 0.0 {
        return 1;
    }
    let sign = u64::from(n < 0.0);
    // Rust's `{:e}` gives the same shortest round-trip digits: `d.ddde±x`.
    let text = format!("{:e}", n.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let k = i64::try_from(mantissa.bytes().filter(u8::is_ascii_digit).count()).unwrap_or(1);
    // ECMAScript's n: the value is 0.d1d2…dk × 10^n.
    let point = exponent.parse::<i64>().unwrap_or(0).saturating_add(1);
    let len = if k <= point && point <= 21 {
        point
    } else if 0 < point && point <= 21 {
        k + 1
    } else if -6 < point && point <= 0 {
        2 - point + k
    } else {
        let e = point.saturating_sub(1).unsigned_abs();
        let e_digits = i64::try_from(e.to_string().len()).unwrap_or(1);
        // d[.ddd]e±x
        k + i64::from(k > 1) + 2 + e_digits
    };
    u64::try_from(len).unwrap_or(1).saturating_add(sign)
}

#[cfg(test)]
mod tests {
    use super::number_len;

    #[test]
    fn number_len_is_the_length_of_javascripts_text() {
        // The JavaScript texts: String(n).
        for (n, js) in [
            (0.0, "0"),
            (-0.0, "0"),
            (5.0, "5"),
            (-1.0, "-1"),
            (100.0, "100"),
            (123.456, "123.456"),
            (0.5, "0.5"),
            (0.000001, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1.2345e21, "1.2345e+21"),
            (1e300, "1e+300"),
            (-1.7976931348623157e308, "-1.7976931348623157e+308"),
            (9007199254740991.0, "9007199254740991"),
            (5e-324, "5e-324"),
            (0.1 + 0.2, "0.30000000000000004"),
        ] {
            assert_eq!(number_len(n), js.len() as u64, "{n:e} is {js}");
        }
        assert_eq!(number_len(f64::NAN), 4, "null");
        assert_eq!(number_len(f64::INFINITY), 4, "null");
    }
}
