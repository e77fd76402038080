//! JSON reading with field paths and typed errors, shared by requests and rulebooks.
//!
//! A document is read once without tracking field paths (the common case: it is valid);
//! only when that fails is it read again with `serde_path_to_error`, whose error names
//! the field. Both reads are deterministic, so the second fails where the first did.

use crate::error::Doc;
use crate::Error;
use serde::de::DeserializeOwned;

/// Reads `T` from JSON text of at most `max_bytes`.
pub(crate) fn from_json<T: DeserializeOwned>(
    text: &str,
    max_bytes: usize,
    what: &str,
    doc: Doc,
) -> Result<T, Error> {
    if text.len() > max_bytes {
        return Err(Error::LimitExceeded {
            field: format!("{what} bytes"),
            limit: max_bytes,
            actual: text.len(),
        });
    }
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| classify(e, doc))?;
    de.end().map_err(|e| syntax(&e))?;
    Ok(value)
}

/// Reads `T` from a JSON value.
pub(crate) fn from_value<T: DeserializeOwned>(
    value: serde_json::Value,
    doc: Doc,
) -> Result<T, Error> {
    if let Ok(parsed) = T::deserialize(&value) {
        return Ok(parsed);
    }
    serde_path_to_error::deserialize(value).map_err(|e| classify(e, doc))
}

fn classify(e: serde_path_to_error::Error<serde_json::Error>, doc: Doc) -> Error {
    let path = e.path().to_string();
    let inner = e.into_inner();
    match inner.classify() {
        serde_json::error::Category::Syntax
        | serde_json::error::Category::Eof
        | serde_json::error::Category::Io => syntax(&inner),
        serde_json::error::Category::Data => Error::from_serde(doc, path, inner.to_string()),
    }
}

fn syntax(e: &serde_json::Error) -> Error {
    let text = e.to_string();
    let reason = match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    Error::InvalidJson {
        line: e.line(),
        column: e.column(),
        reason,
    }
}

/// Gives a request type its `from_json` / `from_value` constructors (the same limits,
/// field paths and error codes for every request the engine reads).
macro_rules! json_request {
    ($t:ty) => {
        impl $t {
            /// Parses the request from JSON text (at most
            /// [`crate::limits::MAX_REQUEST_BYTES`]).
            ///
            /// # Errors
            /// `INVALID_JSON`, `INVALID_REQUEST` (with the field path), `INVALID_AMOUNT`,
            /// `UNKNOWN_CURRENCY`, `LIMIT_EXCEEDED`.
            pub fn from_json(text: &str) -> Result<Self, $crate::Error> {
                $crate::parse::from_json(
                    text,
                    $crate::limits::MAX_REQUEST_BYTES,
                    "request",
                    $crate::error::Doc::Request,
                )
            }

            /// Parses the request from a JSON value (what the bindings build from Python
            /// and JS objects). Errors as `from_json`, without `INVALID_JSON`.
            pub fn from_value(value: serde_json::Value) -> Result<Self, $crate::Error> {
                $crate::parse::from_value(value, $crate::error::Doc::Request)
            }
        }
    };
}
pub(crate) use json_request;
