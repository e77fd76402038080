//! A serde `Serializer` that builds Python objects directly (no JSON text in between).
//!
//! Shapes follow `serde_json`: structs and maps become `dict`, sequences and tuples `list`,
//! unit enum variants their name as `str`, other variants `{variant: value}`, `None`/unit
//! `None`. Integers become `int`, strings `str`.
//!
//! Amounts: `rihla_core::decimal_string::serialize` emits every `Decimal` as a newtype
//! struct named [`rihla_core::decimal_string::TOKEN`] around its exact text. This serializer
//! turns that newtype into `decimal.Decimal(text)`; every other newtype struct is
//! transparent. So a `Quote` comes out as a plain `dict` whose amounts are all
//! `decimal.Decimal` and never a float.

use std::fmt;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyType};
use pyo3::BoundObject;
use serde::ser::{self, Serialize};

use rihla_core::decimal_string::TOKEN;

static DECIMAL_CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The `decimal.Decimal` class, imported once per process.
pub fn decimal_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL_CLASS.import(py, "decimal", "Decimal")
}

/// Converts any `Serialize` value into a Python object (see the module docs).
pub fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    value
        .serialize(PySerializer { py })
        .map_err(|Error(err)| err)
}

/// The serializer's error: a Python exception (from building an object, or a custom
/// serde error turned into a `ValueError`).
#[derive(Debug)]
pub struct Error(PyErr);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Error {
    fn from(err: PyErr) -> Self {
        Error(err)
    }
}

type Result<T> = std::result::Result<T, Error>;

/// The serializer. Cheap to copy: it only holds the interpreter token.
#[derive(Clone, Copy)]
pub struct PySerializer<'py> {
    py: Python<'py>,
}

impl<'py> PySerializer<'py> {
    fn obj<T>(self, value: T) -> Result<Bound<'py, PyAny>>
    where
        T: IntoPyObject<'py>,
        PyErr: From<T::Error>,
    {
        let bound = value.into_pyobject(self.py).map_err(PyErr::from)?;
        Ok(bound.into_bound().into_any())
    }

    /// `{variant: value}` for the non-unit enum variants.
    fn tagged(self, variant: &'static str, value: Bound<'py, PyAny>) -> Result<Bound<'py, PyAny>> {
        let dict = PyDict::new(self.py);
        dict.set_item(PyString::intern(self.py, variant), value)?;
        Ok(dict.into_any())
    }
}

impl<'py> ser::Serializer for PySerializer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = SeqBuilder<'py>;
    type SerializeTuple = SeqBuilder<'py>;
    type SerializeTupleStruct = SeqBuilder<'py>;
    type SerializeTupleVariant = SeqBuilder<'py>;
    type SerializeMap = MapBuilder<'py>;
    type SerializeStruct = MapBuilder<'py>;
    type SerializeStructVariant = MapBuilder<'py>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_i128(self, v: i128) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Self::Ok> {
        self.obj(v)
    }
    // Floats never carry money in rihla (amounts are `Decimal` under TOKEN); they can only
    // appear in free-form error details, where a Python float is the faithful value.
    fn serialize_f32(self, v: f32) -> Result<Self::Ok> {
        self.obj(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        let mut buf = [0u8; 4];
        self.obj(&*v.encode_utf8(&mut buf))
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        self.obj(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok> {
        Ok(PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok> {
        Ok(PyString::intern(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        let inner = value.serialize(self)?;
        if name == TOKEN {
            // The exact decimal text, e.g. "1234.50" → Decimal('1234.50').
            Ok(decimal_class(self.py)?.call1((inner,))?)
        } else {
            Ok(inner)
        }
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        let inner = value.serialize(self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        Ok(SeqBuilder::new(self, len, None))
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        Ok(SeqBuilder::new(self, Some(len), None))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Ok(SeqBuilder::new(self, Some(len), None))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Ok(SeqBuilder::new(self, Some(len), Some(variant)))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Ok(MapBuilder::new(self, None))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Ok(MapBuilder::new(self, None))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Ok(MapBuilder::new(self, Some(variant)))
    }
}

/// Collects the items of a sequence, tuple or tuple variant into a `list`.
pub struct SeqBuilder<'py> {
    ser: PySerializer<'py>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> SeqBuilder<'py> {
    fn new(ser: PySerializer<'py>, len: Option<usize>, variant: Option<&'static str>) -> Self {
        // The hint comes from our own Rust values; cap it anyway so it can never reserve
        // an absurd amount up front.
        let capacity = len.unwrap_or(0).min(4096);
        SeqBuilder {
            ser,
            items: Vec::with_capacity(capacity),
            variant,
        }
    }

    fn push<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.items.push(value.serialize(self.ser)?);
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>> {
        let list = PyList::new(self.ser.py, self.items)?.into_any();
        match self.variant {
            Some(variant) => self.ser.tagged(variant, list),
            None => Ok(list),
        }
    }
}

impl<'py> ser::SerializeSeq for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTuple for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleStruct for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleVariant for SeqBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

/// Builds a `dict` for a map, struct or struct variant.
pub struct MapBuilder<'py> {
    ser: PySerializer<'py>,
    dict: Bound<'py, PyDict>,
    pending_key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> MapBuilder<'py> {
    fn new(ser: PySerializer<'py>, variant: Option<&'static str>) -> Self {
        MapBuilder {
            ser,
            dict: PyDict::new(ser.py),
            pending_key: None,
            variant,
        }
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<()> {
        let value = value.serialize(self.ser)?;
        self.dict
            .set_item(PyString::intern(self.ser.py, key), value)?;
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>> {
        let dict = self.dict.into_any();
        match self.variant {
            Some(variant) => self.ser.tagged(variant, dict),
            None => Ok(dict),
        }
    }
}

impl<'py> ser::SerializeMap for MapBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        self.pending_key = Some(key.serialize(self.ser)?);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        let key = self
            .pending_key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("map value without a key"))?;
        let value = value.serialize(self.ser)?;
        self.dict.set_item(key, value)?;
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeStruct for MapBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

impl<'py> ser::SerializeStructVariant for MapBuilder<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}
