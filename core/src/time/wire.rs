//! The serde plumbing under the instant and date modules (`utc`, `fixed`, `date`, which use
//! it; it names none of them — the lowest layer of `time`, beside `grammar` and `year`): one
//! value, an `Option` of one and a `Vec` of them, each read from a string by its strict
//! parser and written by chrono's own `Serialize` inside a newtype struct named
//! [`super::INSTANT_TOKEN`] or [`super::DATE_TOKEN`] (as amounts are, under
//! `decimal_string::TOKEN`): JSON sees the plain string, the Python binding builds an
//! aware `datetime` or a `date` from it.

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// A chrono type with its strict reader.
pub(super) trait Strict: Serialize + Sized {
    /// What a value of another type was expected to be (serde's `invalid type` errors).
    const EXPECTING: &'static str;

    /// The newtype-struct name the value is written under.
    const TOKEN: &'static str;

    /// The value `text` denotes, or the whole error message.
    fn parse(text: &str) -> Result<Self, String>;
}

/// One value read from a string by `T::parse`.
struct Strictly<T>(T);

struct StrictVisitor<T>(PhantomData<T>);

impl<T: Strict> Visitor<'_> for StrictVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::parse(v).map_err(E::custom)
    }
}

impl<'de, T: Strict> Deserialize<'de> for Strictly<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_str(StrictVisitor(PhantomData))
            .map(Strictly)
    }
}

/// One value written as chrono writes it, under `T::TOKEN`.
struct Tokened<'a, T>(&'a T);

impl<T: Strict> Serialize for Tokened<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(T::TOKEN, self.0)
    }
}

/// Writes `value` as chrono does, under `T::TOKEN`.
pub(super) fn serialize<T: Strict, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    Tokened(value).serialize(s)
}

/// Reads one value strictly.
pub(super) fn deserialize<'de, T: Strict, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    Strictly::<T>::deserialize(d).map(|v| v.0)
}

/// Writes `None` as `null`, `Some` as [`serialize`] does.
pub(super) fn serialize_option<T: Strict, S: Serializer>(
    value: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_some(&Tokened(v)),
        None => s.serialize_none(),
    }
}

/// Reads `null` as `None`, a string strictly as `Some`.
pub(super) fn deserialize_option<'de, T: Strict, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<Strictly<T>>::deserialize(d).map(|v| v.map(|v| v.0))
}

/// Writes the values as a sequence, each as [`serialize`] does.
pub(super) fn serialize_vec<T: Strict, S: Serializer>(
    values: &[T],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(values.iter().map(Tokened))
}

/// Reads a sequence, each element strictly. The count is what the document holds: the
/// caller checks its own limit once the list is read, as for any other list.
pub(super) fn deserialize_vec<'de, T: Strict, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    d.deserialize_seq(SeqVisitor(PhantomData))
}

struct SeqVisitor<T>(PhantomData<T>);

/// Elements reserved ahead of reading at most, whatever length the format announces.
const RESERVE_MAX: usize = 1024;

impl<'de, T: Strict> Visitor<'de> for SeqVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list, each element {}", T::EXPECTING)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(RESERVE_MAX));
        while let Some(Strictly(v)) = seq.next_element::<Strictly<T>>()? {
            out.push(v);
        }
        Ok(out)
    }
}
