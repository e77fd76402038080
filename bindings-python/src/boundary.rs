//! The boundary between Python and Rust: every exported function and method runs its body
//! in [`guard`], so that a Rust panic — a rihla defect, never the host's input — reaches
//! Python as a `rihla.InternalError` (code `INTERNAL`, a `RihlaError`) instead of pyo3's
//! `PanicException` (a `BaseException` that `except Exception` does not catch).
//!
//! An object whose lock a panic poisoned stays unusable; every later call on it raises
//! `INTERNAL` too ([`poisoned`]).

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;

use crate::errors;

/// Runs `body`; a panic in it becomes the `INTERNAL` error, with the panic's message.
///
/// Unwind safety: what a panicking body may leave half-changed is behind a `Mutex`, which
/// the panic poisons (later calls then raise [`poisoned`]); a `Rulebook` is immutable.
pub(crate) fn guard<T>(py: Python<'_>, body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => Err(errors::internal(
            py,
            &format!("a Rust panic: {}", panic_message(payload.as_ref())),
        )),
    }
}

/// The `INTERNAL` error of an object an earlier panic left unusable (its lock poisoned).
pub(crate) fn poisoned(py: Python<'_>) -> PyErr {
    errors::internal(
        py,
        "this rihla object is unusable: an earlier call panicked while holding it",
    )
}

/// The text of a panic's payload (`panic!("...")` gives a `&str` or a `String`).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "a panic without a message"
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use pyo3::exceptions::PyBaseException;

    use super::*;
    use crate::ledger::with_lock;

    fn attr(py: Python<'_>, err: &PyErr, name: &str) -> String {
        err.value(py)
            .getattr(name)
            .and_then(|v| v.str())
            .map(|s| s.to_string())
            .unwrap_or_default()
    }

    fn reason(py: Python<'_>, err: &PyErr) -> String {
        err.value(py)
            .getattr("details")
            .and_then(|d| d.get_item("reason"))
            .and_then(|r| r.extract())
            .unwrap_or_default()
    }

    fn assert_internal(py: Python<'_>, err: &PyErr) {
        assert!(err.is_instance_of::<errors::RihlaError>(py), "{err}");
        let internal = errors::internal_error(py).expect("the InternalError class");
        assert!(
            err.value(py).is_instance(internal).unwrap_or(false),
            "{err}"
        );
        assert_eq!(attr(py, err, "code"), "INTERNAL");
        assert!(
            err.value(py)
                .str()
                .is_ok_and(|s| s.to_string().starts_with("INTERNAL: rihla defect")),
            "{err}"
        );
    }

    #[test]
    fn a_panic_becomes_an_internal_rihla_error() {
        Python::initialize();
        Python::attach(|py| {
            let err = guard(py, || -> PyResult<()> { panic!("boom {}", 7) }).unwrap_err();
            assert_internal(py, &err);
            assert_eq!(reason(py, &err), "a Rust panic: boom 7");
            let err = guard(py, || -> PyResult<()> { std::panic::panic_any(42_u8) }).unwrap_err();
            assert_eq!(reason(py, &err), "a Rust panic: a panic without a message");
        });
    }

    #[test]
    fn answers_and_errors_pass_through() {
        Python::initialize();
        Python::attach(|py| {
            assert_eq!(guard(py, || Ok(5)).ok(), Some(5));
            let err = guard(py, || -> PyResult<()> {
                Err(errors::from_binding(py, "INVALID_REQUEST", "x", "bad"))
            })
            .unwrap_err();
            assert_eq!(attr(py, &err, "code"), "INVALID_REQUEST");
        });
    }

    /// A function exported as the binding's are: its panic reaches Python as the
    /// `INTERNAL` error, never as pyo3's `PanicException` (a `BaseException`).
    #[pyfunction]
    fn panics(py: Python<'_>, index: usize) -> PyResult<u8> {
        guard(py, || {
            let empty: Vec<u8> = Vec::new();
            Ok(empty[index])
        })
    }

    #[test]
    fn an_exported_function_that_panics_raises_internal_in_python() {
        Python::initialize();
        Python::attach(|py| {
            let f = wrap_pyfunction!(panics, py).expect("the test function");
            let err = f.call1((3,)).unwrap_err();
            assert_internal(py, &err);
            assert!(reason(py, &err).contains("index out of bounds"));
            // Caught by `except Exception` in the host, unlike a PanicException.
            assert!(err.is_instance_of::<pyo3::exceptions::PyException>(py));
            assert!(err.is_instance_of::<PyBaseException>(py));
            let panic_exception = py.get_type::<pyo3::panic::PanicException>();
            assert!(!err.value(py).is_instance(&panic_exception).unwrap_or(true));
        });
    }

    #[test]
    fn an_object_a_panic_poisoned_stays_internal() {
        Python::initialize();
        Python::attach(|py| {
            let state = Mutex::new(0_u32);
            let err = guard(py, || {
                with_lock(py, &state, |_| -> u32 { panic!("while holding the lock") })
            })
            .unwrap_err();
            assert_internal(py, &err);
            assert!(reason(py, &err).contains("while holding the lock"));
            let err = guard(py, || with_lock(py, &state, |v| *v)).unwrap_err();
            assert_internal(py, &err);
            assert!(reason(py, &err).contains("unusable"));
        });
    }
}
