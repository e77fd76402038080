//! A result as a tree of Rust values ([`Node`]), built by a serde `Serializer` without any
//! Python object: what a result object ([`crate::record`]) keeps, and converts one field
//! at a time when Python reads it.
//!
//! The serializer keeps what JSON would lose: each struct's Rust name (which result class
//! it is), each unit enum variant's enum name (which `enum.Enum` it is), and the newtype
//! tokens that mark an amount (`rihla_core::decimal_string::TOKEN`), an instant and a
//! date (`rihla_core::time::INSTANT_TOKEN`, `DATE_TOKEN`). A float is refused: no rihla
//! result holds one, and none may reach Python.
//!
//! A node serializes back to the result's own JSON (amounts, instants and enum values as
//! strings), so `Quote.to_json()` is byte for byte what Rust's `Quote::to_json` writes.

use std::borrow::Cow;
use std::fmt;

use serde::ser::{self, Serialize, SerializeMap, SerializeSeq};
use serde::Serializer;

use rihla_core::decimal_string::TOKEN as DECIMAL_TOKEN;
use rihla_core::time::{DATE_TOKEN, INSTANT_TOKEN};

/// A name: borrowed from the Rust types when a result is built, owned when read back from
/// a pickle.
pub type Name = Cow<'static, str>;

/// One value of a result.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i128),
    /// An integer above `i128::MAX` (a `u128` id).
    BigUint(u128),
    Str(String),
    /// An amount's exact text (`"1150.00"`).
    Decimal(String),
    /// An instant's RFC 3339 text, with its offset (`"2026-11-22T09:00:00Z"`).
    Instant(String),
    /// A date (`"2026-11-22"`).
    Date(String),
    /// A unit enum variant: the enum's Rust name and the variant's wire value.
    Enum {
        name: Name,
        value: Name,
    },
    Seq(Vec<Node>),
    /// A map with text keys, in the order written.
    Map(Vec<(String, Node)>),
    /// A struct: its Rust name and its fields in declaration order (fields skipped when
    /// empty are absent).
    Record {
        name: Name,
        fields: Vec<(Name, Node)>,
    },
}

impl Node {
    /// The child at `step` (a field index of a record, an element of a list, an entry of a
    /// map).
    pub fn child(&self, step: usize) -> Option<&Node> {
        match self {
            Node::Record { fields, .. } => fields.get(step).map(|(_, v)| v),
            Node::Seq(items) => items.get(step),
            Node::Map(entries) => entries.get(step).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The node at `path` below this one.
    pub fn at(&self, path: &[usize]) -> Option<&Node> {
        path.iter().try_fold(self, |node, step| node.child(*step))
    }
}

/// Structs that serde writes as maps (they `#[serde(flatten)]` a field, which loses the
/// struct's name), named by where they sit: (parent struct, its field, the struct's name).
const FLATTENED: &[(&str, &str, &str)] = &[
    ("Charter", "legs", "LegCharge"),
    ("AvailabilityReport", "conflicts", "Conflict"),
];

/// Turns the maps of [`FLATTENED`] back into named records.
pub fn name_flattened(node: &mut Node) {
    match node {
        Node::Record { name, fields } => {
            for (key, value) in fields.iter_mut() {
                let flattened = FLATTENED
                    .iter()
                    .find(|(parent, field, _)| parent == name && field == key);
                if let Some((_, _, as_name)) = flattened {
                    match &mut *value {
                        Node::Seq(items) => items.iter_mut().for_each(|i| rename_map(i, as_name)),
                        other => rename_map(other, as_name),
                    }
                }
                name_flattened(value);
            }
        }
        Node::Seq(items) => items.iter_mut().for_each(name_flattened),
        Node::Map(entries) => entries.iter_mut().for_each(|(_, v)| name_flattened(v)),
        _ => {}
    }
}

fn rename_map(node: &mut Node, as_name: &'static str) {
    if let Node::Map(entries) = node {
        let fields = std::mem::take(entries)
            .into_iter()
            .map(|(k, v)| (Cow::Owned(k), v))
            .collect();
        *node = Node::Record {
            name: Cow::Borrowed(as_name),
            fields,
        };
    }
}

/// Builds the node of any `Serialize` value.
///
/// # Errors
/// A float anywhere, or a map key that is not text or an integer (no rihla result has
/// either): the message says which.
pub fn to_node<T: Serialize + ?Sized>(value: &T) -> Result<Node, Error> {
    let mut node = value.serialize(NodeSerializer)?;
    name_flattened(&mut node);
    Ok(node)
}

/// Why a value could not become a [`Node`].
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// The result's own JSON: a record is an object, amounts, instants, dates and enum values
/// are strings (what `serde_json` writes of the Rust value itself).
pub struct Plain<'a>(pub &'a Node);

impl Serialize for Plain<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Int(i) => s.serialize_i128(*i),
            Node::BigUint(u) => s.serialize_u128(*u),
            Node::Str(t) | Node::Decimal(t) | Node::Instant(t) | Node::Date(t) => {
                s.serialize_str(t)
            }
            Node::Enum { value, .. } => s.serialize_str(value),
            Node::Seq(items) => s.collect_seq(items.iter().map(Plain)),
            Node::Map(entries) => s.collect_map(entries.iter().map(|(k, v)| (k, Plain(v)))),
            Node::Record { fields, .. } => {
                s.collect_map(fields.iter().map(|(k, v)| (k.as_ref(), Plain(v))))
            }
        }
    }
}

/// The node as the result's own JSON text (UTF-8).
pub fn to_json(node: &Node) -> Vec<u8> {
    // Writing strings, integers and containers to a Vec cannot fail.
    let mut out = Vec::with_capacity(8 * 1024);
    match serde_json::to_writer(&mut out, &Plain(node)) {
        Ok(()) => out,
        Err(_) => Vec::new(),
    }
}

/// Creates the serializer that builds nodes.
struct NodeSerializer;

fn name(s: &'static str) -> Name {
    Cow::Borrowed(s)
}

macro_rules! int {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<Node, Error> {
            Ok(Node::Int(i128::from(v)))
        })*
    };
}

impl Serializer for NodeSerializer {
    type Ok = Node;
    type Error = Error;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = RecordBuilder;
    type SerializeStructVariant = VariantBuilder<RecordBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Node, Error> {
        Ok(Node::Bool(v))
    }

    int!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
         serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
         serialize_u64: u64);

    fn serialize_u128(self, v: u128) -> Result<Node, Error> {
        Ok(i128::try_from(v).map_or(Node::BigUint(v), Node::Int))
    }

    fn serialize_f32(self, v: f32) -> Result<Node, Error> {
        Err(Error(format!("a float ({v}) in a result")))
    }

    fn serialize_f64(self, v: f64) -> Result<Node, Error> {
        Err(Error(format!("a float ({v}) in a result")))
    }

    fn serialize_char(self, v: char) -> Result<Node, Error> {
        Ok(Node::Str(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Result<Node, Error> {
        Ok(Node::Str(v.to_owned()))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Node, Error> {
        Ok(Node::Seq(
            v.iter().map(|b| Node::Int(i128::from(*b))).collect(),
        ))
    }

    fn serialize_none(self) -> Result<Node, Error> {
        Ok(Node::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Node, Error> {
        Ok(Node::Null)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Node, Error> {
        Ok(Node::Null)
    }

    fn serialize_unit_variant(
        self,
        enum_name: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Node, Error> {
        Ok(Node::Enum {
            name: name(enum_name),
            value: name(variant),
        })
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        token: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        let inner = value.serialize(NodeSerializer)?;
        let wrap: fn(String) -> Node = match token {
            DECIMAL_TOKEN => Node::Decimal,
            INSTANT_TOKEN => Node::Instant,
            DATE_TOKEN => Node::Date,
            _ => return Ok(inner),
        };
        match inner {
            Node::Str(text) => Ok(wrap(text)),
            other => Err(Error(format!("{token} around {other:?}, not text"))),
        }
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        Ok(Node::Map(vec![(
            variant.to_owned(),
            value.serialize(self)?,
        )]))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0).min(4096))))
    }

    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqBuilder, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<SeqBuilder>, Error> {
        Ok(VariantBuilder(variant, self.serialize_seq(Some(len))?))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, Error> {
        Ok(MapBuilder {
            entries: Vec::with_capacity(len.unwrap_or(0).min(4096)),
            key: None,
        })
    }

    fn serialize_struct(
        self,
        struct_name: &'static str,
        len: usize,
    ) -> Result<RecordBuilder, Error> {
        Ok(RecordBuilder(name(struct_name), Vec::with_capacity(len)))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<RecordBuilder>, Error> {
        Ok(VariantBuilder(
            variant,
            RecordBuilder(name(variant), Vec::with_capacity(len)),
        ))
    }
}

pub struct SeqBuilder(Vec<Node>);

impl SerializeSeq for SeqBuilder {
    type Ok = Node;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.0.push(value.serialize(NodeSerializer)?);
        Ok(())
    }

    fn end(self) -> Result<Node, Error> {
        Ok(Node::Seq(self.0))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Node;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Node, Error> {
        SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Node;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Node, Error> {
        SerializeSeq::end(self)
    }
}

pub struct MapBuilder {
    entries: Vec<(String, Node)>,
    key: Option<String>,
}

impl SerializeMap for MapBuilder {
    type Ok = Node;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let key = match key.serialize(NodeSerializer)? {
            Node::Str(s) => s,
            Node::Int(i) => i.to_string(),
            Node::BigUint(u) => u.to_string(),
            Node::Enum { value, .. } => value.into_owned(),
            other => return Err(Error(format!("a map key {other:?} that is not text"))),
        };
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a map value before its key".to_owned()))?;
        self.entries.push((key, value.serialize(NodeSerializer)?));
        Ok(())
    }

    fn end(self) -> Result<Node, Error> {
        Ok(Node::Map(self.entries))
    }
}

pub struct RecordBuilder(Name, Vec<(Name, Node)>);

impl ser::SerializeStruct for RecordBuilder {
    type Ok = Node;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.1.push((name(key), value.serialize(NodeSerializer)?));
        Ok(())
    }

    fn end(self) -> Result<Node, Error> {
        Ok(Node::Record {
            name: self.0,
            fields: self.1,
        })
    }
}

/// A tuple or struct variant: `{variant: [..]}` / `{variant: {..}}`, as serde_json.
pub struct VariantBuilder<B>(&'static str, B);

impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = Node;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        SerializeSeq::serialize_element(&mut self.1, value)
    }

    fn end(self) -> Result<Node, Error> {
        Ok(Node::Map(vec![(
            self.0.to_owned(),
            SerializeSeq::end(self.1)?,
        )]))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<RecordBuilder> {
    type Ok = Node;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.1, key, value)
    }

    fn end(self) -> Result<Node, Error> {
        Ok(Node::Map(vec![(
            self.0.to_owned(),
            ser::SerializeStruct::end(self.1)?,
        )]))
    }
}
