//! Result objects: `rihla.Quote`, its lines, taxes, rewards, charters, voucher checks …
//!
//! Every result class is a Python subclass (declared, with its typed fields, in
//! `python/rihla/_results.py`) of one native base, [`Record`]. A record keeps the result
//! as a Rust tree ([`Node`], shared by the whole result) and the path to its own node;
//! a field becomes a Python object only when it is read, and is then cached on the
//! record: a `decimal.Decimal` for an amount, an aware `datetime` for an instant, a
//! `date`, a `str`-valued `enum.Enum` member, a `tuple` of records for a list of them.
//!
//! The classes are found by the Rust struct's name (`Quote`, `ItemLine` …) and the enums
//! by the Rust enum's name (`Category`, `Tier` …) in the registry that
//! `rihla._results` builds (imported on first use, not by `import rihla`). A struct
//! without a class is a plain `rihla.Result`; an enum without a class is its `str`.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use pyo3::exceptions::PyAttributeError;
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::boundary::guard;
use crate::errors;
use crate::node::{self, Node};
use crate::to_python::decimal_class;

/// Most bytes a pickled result may hold (a quote of the largest request is far smaller).
const MAX_PICKLE_BYTES: usize = 64 * 1024 * 1024;

/// The registry of result classes and enums (`rihla._results.RECORDS` / `ENUMS`).
struct Registry {
    records: Py<PyDict>,
    enums: Py<PyDict>,
}

static REGISTRY: PyOnceLock<Registry> = PyOnceLock::new();

fn registry(py: Python<'_>) -> PyResult<&Registry> {
    REGISTRY.get_or_try_init(py, || {
        let module = py.import("rihla._results")?;
        Ok(Registry {
            records: module.getattr("RECORDS")?.cast_into::<PyDict>()?.unbind(),
            enums: module.getattr("ENUMS")?.cast_into::<PyDict>()?.unbind(),
        })
    })
}

/// The native base of every result class (`rihla.Result`): immutable, compared by value,
/// hashable, picklable; `to_dict()` and `to_json()` for plain data.
#[pyclass(subclass, frozen, module = "rihla", name = "Result")]
pub struct Record {
    root: Arc<Node>,
    path: Box<[usize]>,
    /// One slot per field (or list element, or map entry) of this record's node.
    cache: Box<[PyOnceLock<Py<PyAny>>]>,
}

/// The token that [`Record::__new__`] takes: only rihla makes result objects.
#[pyclass(frozen, module = "rihla._rihla", name = "_RecordHandle")]
pub struct Handle {
    root: Arc<Node>,
    path: Box<[usize]>,
}

impl Record {
    fn node(&self) -> &Node {
        // The path was built by walking this root: it always leads to a node.
        self.root.at(&self.path).unwrap_or(&Node::Null)
    }

    fn width(node: &Node) -> usize {
        match node {
            Node::Record { fields, .. } => fields.len(),
            Node::Seq(items) => items.len(),
            Node::Map(entries) => entries.len(),
            _ => 0,
        }
    }

    fn child_path(&self, step: usize) -> Vec<usize> {
        let mut path = Vec::with_capacity(self.path.len().saturating_add(1));
        path.extend_from_slice(&self.path);
        path.push(step);
        path
    }

    /// The Python object of field `index` (`value` is its node), built once.
    fn field_object(&self, py: Python<'_>, index: usize, value: &Node) -> PyResult<Py<PyAny>> {
        let convert = || {
            let path = self.child_path(index);
            shallow(py, &self.root, path, value).map(Bound::unbind)
        };
        match self.cache.get(index) {
            Some(slot) => slot.get_or_try_init(py, convert).map(|v| v.clone_ref(py)),
            None => convert(),
        }
    }
}

/// A record object for the node at `path` (its class from the registry).
pub(crate) fn make<'py>(
    py: Python<'py>,
    root: &Arc<Node>,
    path: Vec<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let name = match root.at(&path) {
        Some(Node::Record { name, .. }) => name.as_ref(),
        _ => "",
    };
    let class = registry(py)?.records.bind(py).get_item(name)?;
    let handle = Handle {
        root: Arc::clone(root),
        path: path.into_boxed_slice(),
    };
    match class {
        Some(class) => class.call1((handle,)),
        None => py.get_type::<Record>().call1((handle,)),
    }
}

/// The whole result `value` as a record object.
pub(crate) fn of<'py, T: serde::Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let tree = node::to_node(value).map_err(|e| errors::internal(py, &e.0))?;
    make(py, &Arc::new(tree), Vec::new())
}

/// A node as the Python value a field shows: records as record objects, lists as tuples.
fn shallow<'py>(
    py: Python<'py>,
    root: &Arc<Node>,
    path: Vec<usize>,
    value: &Node,
) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Node::Record { .. } => make(py, root, path),
        Node::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let mut child = path.clone();
                child.push(i);
                out.push(shallow(py, root, child, item)?);
            }
            Ok(PyTuple::new(py, out)?.into_any())
        }
        Node::Map(entries) => {
            let dict = PyDict::new(py);
            for (i, (k, v)) in entries.iter().enumerate() {
                let mut child = path.clone();
                child.push(i);
                dict.set_item(k, shallow(py, root, child, v)?)?;
            }
            Ok(dict.into_any())
        }
        Node::Enum { name, value } => {
            let enums = registry(py)?.enums.bind(py);
            match enums.get_item(name.as_ref())? {
                Some(class) => class.call1((value.as_ref(),)),
                None => Ok(PyString::new(py, value).into_any()),
            }
        }
        scalar => scalar_object(py, scalar),
    }
}

/// A node as plain Python data (`to_dict`): records and maps as `dict`, lists as `list`,
/// enum values as `str`; amounts, instants and dates as in a field.
fn plain<'py>(py: Python<'py>, value: &Node) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Node::Record { fields, .. } => {
            let dict = PyDict::new(py);
            for (k, v) in fields {
                dict.set_item(PyString::intern(py, k), plain(py, v)?)?;
            }
            Ok(dict.into_any())
        }
        Node::Map(entries) => {
            let dict = PyDict::new(py);
            for (k, v) in entries {
                dict.set_item(k, plain(py, v)?)?;
            }
            Ok(dict.into_any())
        }
        Node::Seq(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(plain(py, item)?)?;
            }
            Ok(list.into_any())
        }
        Node::Enum { value, .. } => Ok(PyString::new(py, value).into_any()),
        scalar => scalar_object(py, scalar),
    }
}

fn scalar_object<'py>(py: Python<'py>, value: &Node) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Node::Null => py.None().into_bound(py),
        Node::Bool(b) => pyo3::types::PyBool::new(py, *b).to_owned().into_any(),
        Node::Int(i) => i.into_pyobject(py)?.into_any(),
        Node::BigUint(u) => u.into_pyobject(py)?.into_any(),
        Node::Str(s) => PyString::new(py, s).into_any(),
        Node::Decimal(text) => decimal_class(py)?.call1((text.as_str(),))?,
        Node::Instant(text) => instant(py, text)?,
        Node::Date(text) => date(py, text)?,
        // Containers are handled by the callers.
        other => PyString::new(py, &format!("{other:?}")).into_any(),
    })
}

fn out_of_range(py: Python<'_>, text: &str, what: &str) -> PyErr {
    errors::from_binding(
        py,
        "TIME_OUT_OF_RANGE",
        "$",
        &format!("{text} cannot be a Python {what} (years 1 to 9999)"),
    )
}

/// An RFC 3339 instant as an aware `datetime` with its own UTC offset.
fn instant<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let parsed = chrono::DateTime::parse_from_rfc3339(text)
        .map_err(|_| out_of_range(py, text, "datetime"))?;
    parsed
        .into_pyobject(py)
        .map(Bound::into_any)
        .map_err(|_| out_of_range(py, text, "datetime"))
}

fn date<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let parsed = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| out_of_range(py, text, "date"))?;
    parsed
        .into_pyobject(py)
        .map(Bound::into_any)
        .map_err(|_| out_of_range(py, text, "date"))
}

#[pymethods]
impl Record {
    #[new]
    fn new(py: Python<'_>, handle: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let handle = handle.cast::<Handle>().map_err(|_| {
                errors::from_binding(
                    py,
                    "INVALID_REQUEST",
                    "$",
                    "result objects are made by rihla (e.g. Rulebook.quote); \
                     build one from its JSON with the Rulebook method that made it",
                )
            })?;
            let handle = handle.get();
            let width = handle.root.at(&handle.path).map_or(0, Record::width);
            Ok(Record {
                root: Arc::clone(&handle.root),
                path: handle.path.clone(),
                cache: (0..width).map(|_| PyOnceLock::new()).collect(),
            })
        })
    }

    /// A field's value, converted on first read and cached. A field the class declares
    /// but this result left out is `None` (an empty optional) or `()` (an empty list).
    fn __getattr__(slf: &Bound<'_, Self>, name: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        guard(py, || {
            let this = slf.get();
            let key = name.to_cow()?;
            let key = key.as_ref();
            if let Node::Record { fields, .. } = this.node() {
                if let Some(i) = fields.iter().position(|(k, _)| k == key) {
                    if let Some((_, value)) = fields.get(i) {
                        return this.field_object(py, i, value);
                    }
                }
            }
            match declared(slf.get_type().as_any(), key)? {
                // A list left out because it is empty.
                Some(kind) if kind.starts_with("Tuple[") || kind.starts_with("tuple[") => {
                    return Ok(PyTuple::empty(py).into_any().unbind());
                }
                Some(_) => return Ok(py.None()),
                None => {}
            }
            Err(PyAttributeError::new_err(format!(
                "'{}' object has no attribute '{key}'",
                slf.get_type().name()?
            )))
        })
    }

    /// The result as plain Python data: `dict`s, `list`s, `str`, `int`, `bool`, `None`,
    /// `decimal.Decimal` amounts, aware `datetime` instants and `date`s.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || plain(py, self.node()))
    }

    /// The result as JSON (UTF-8 `bytes`), written in Rust: amounts, instants, dates and
    /// enum values as strings, exactly as `Rulebook.quote_json` writes a quote.
    fn to_json<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        guard(py, || Ok(PyBytes::new(py, &node::to_json(self.node()))))
    }

    /// The Rust type this result was written from (`"Quote"`, `"ItemLine"` …).
    fn _type_name(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || {
            Ok(match self.node() {
                Node::Record { name, .. } => name.to_string(),
                _ => String::new(),
            })
        })
    }

    /// The names of the fields this result has.
    fn _fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        guard(py, || {
            let names: Vec<&str> = match self.node() {
                Node::Record { fields, .. } => fields.iter().map(|(k, _)| k.as_ref()).collect(),
                _ => Vec::new(),
            };
            PyTuple::new(py, names)
        })
    }

    fn __richcmp__(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        guard(py, || {
            let Ok(other) = other.cast::<Record>() else {
                return Ok(py.NotImplemented());
            };
            let same =
                slf.get_type().is(other.get_type()) && slf.get().node() == other.get().node();
            Ok(match op {
                CompareOp::Eq => same.into_pyobject(py)?.to_owned().into_any().unbind(),
                CompareOp::Ne => (!same).into_pyobject(py)?.to_owned().into_any().unbind(),
                _ => py.NotImplemented(),
            })
        })
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<u64> {
        guard(py, || {
            let mut h = DefaultHasher::new();
            self.node().hash(&mut h);
            Ok(h.finish())
        })
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let py = slf.py();
        guard(py, || {
            let class = slf.get_type().name()?.to_string();
            let Node::Record { fields, .. } = slf.get().node() else {
                return Ok(format!("{class}()"));
            };
            let mut parts = Vec::with_capacity(fields.len());
            for (i, (k, v)) in fields.iter().enumerate() {
                let shown = match v {
                    Node::Seq(items) => format!("<{} items>", items.len()),
                    Node::Map(entries) => format!("<{} entries>", entries.len()),
                    Node::Record { name, .. } => format!("<{name}>"),
                    _ => slf
                        .get()
                        .field_object(py, i, v)?
                        .bind(py)
                        .repr()?
                        .to_string(),
                };
                parts.push(format!("{k}={shown}"));
            }
            Ok(format!("{class}({})", parts.join(", ")))
        })
    }

    /// Pickles as the whole result's tree and this record's place in it.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        guard(py, || {
            let state = serde_json::to_vec(&(&*self.root, &*self.path))
                .map_err(|e| errors::internal(py, &e.to_string()))?;
            let restore = py.import("rihla._results")?.getattr("_restore")?;
            let args = PyTuple::new(py, [PyBytes::new(py, &state)])?;
            PyTuple::new(py, [restore, args.into_any()])
        })
    }
}

/// The annotation under which `class` declares the field `name` (in its body or a
/// base's; a `str`, as `from __future__ import annotations` keeps them), if it does.
fn declared(class: &Bound<'_, PyAny>, name: &str) -> PyResult<Option<String>> {
    for base in class.getattr("__mro__")?.try_iter()? {
        let base = base?;
        if let Ok(annotations) = base.getattr("__dict__")?.get_item("__annotations__") {
            if let Ok(kind) = annotations.get_item(name) {
                return Ok(Some(kind.str()?.to_string()));
            }
        }
    }
    Ok(None)
}

/// Unpickles a result (`rihla._results._restore`): the tree and path `__reduce__` wrote.
#[pyfunction]
pub fn _record_from_pickle<'py>(
    py: Python<'py>,
    state: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let bad = |reason: &str| errors::from_binding(py, "INVALID_REQUEST", "state", reason);
        let bytes = state
            .cast::<PyBytes>()
            .map_err(|_| bad("a pickled result's state is bytes"))?
            .as_bytes();
        if bytes.len() > MAX_PICKLE_BYTES {
            return Err(bad("a pickled result's state is too large"));
        }
        let (root, path): (Node, Vec<usize>) = serde_json::from_slice(bytes)
            .map_err(|e| bad(&format!("not a pickled result: {e}")))?;
        if root.at(&path).is_none() {
            return Err(bad("not a pickled result: its path leads nowhere"));
        }
        make(py, &Arc::new(root), path)
    })
}
