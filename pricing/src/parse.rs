//! JSON reading with field paths and typed errors, shared by requests and rulebooks.

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
