//! Reading a target's input: UTF-8 text, a JSON envelope (`{"rulebook": "default" | {…},
//! "request": {…}, …}`, the shape of the conformance vectors' inputs), and the default
//! rulebook loaded once per process.

use crate::invariants::check_pricing_error;
use rihla_pricing::Rulebook;
use serde_json::Value;
use std::sync::OnceLock;

/// The default rulebook, loaded once.
///
/// # Panics
/// When the shipped rulebook does not load (a defect of the build, not of the input).
pub fn default_rulebook() -> &'static Rulebook {
    static DEFAULT: OnceLock<Rulebook> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        Rulebook::default_rulebook()
            .unwrap_or_else(|e| panic!("the default rulebook does not load: {e}"))
    })
}

/// The input as text; `None` when it is not UTF-8 (a host only ever passes strings).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The input as a JSON object; `None` when it is not one.
pub fn object(data: &[u8]) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice::<Value>(data).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// Calls `f` with the envelope's rulebook: the default one for `"default"` or no
/// rulebook, else the object (or text) loaded with [`Rulebook::from_json`]. A rulebook
/// that does not load is checked as an error and `f` is not called.
pub fn with_rulebook(rulebook: Option<&Value>, f: impl FnOnce(&Rulebook)) {
    let text = match rulebook {
        None => return f(default_rulebook()),
        Some(Value::String(s)) if s == "default" => return f(default_rulebook()),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    match Rulebook::from_json(&text) {
        Ok(rb) => f(&rb),
        Err(e) => check_pricing_error(&e, "Rulebook::from_json"),
    }
}

/// The JSON text a host would pass for a value: a string as itself, anything else
/// serialised (what the bindings do with an object).
pub fn json_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}
