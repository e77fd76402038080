//! The leaf values of the structure-aware inputs, each biased towards what breaks money
//! code: decimal magnitudes at the edge of `rust_decimal` (28–29 digits), long fractions,
//! negative and negative-zero amounts, counts at and past the engine's limits, instants near
//! years 0001 and 9999, and ids in any script. The JSON built from them is well formed, so
//! the fuzzer spends its time in the pricing and ledger arithmetic rather than in the
//! parser.

use arbitrary::{Arbitrary, Result, Unstructured};

/// Amounts that a money field reads (two decimals, within the engine's ±10¹⁵ limit) and
/// that sit on an edge of the arithmetic: the limit itself, products that pass `u32`,
/// `u64` and 28 digits once multiplied by a quantity or a rate, the smallest amounts.
const EDGE_AMOUNTS: &[&str] = &[
    "1000000000000000.00", // 10^15: the largest amount rihla prices
    "999999999999999.99",
    "123456789012345.67",
    "99999999999999.99",
    "4294967295.00",
    "4294967296.01",
    "9007199254740.99",
    "333333333333333.33",
    "0.01",
    "0.02",
    "0.05",
    "0.99",
    "0.00",
    "1.00",
    "100.01",
    "99.99",
];

/// Amounts past an edge: beyond the engine's limit or `rust_decimal`'s 28 digits, finer
/// than any currency.
const BEYOND_AMOUNTS: &[&str] = &[
    "79228162514264337593543950335", // Decimal::MAX
    "7922816251426433759354395033.5",
    "79228162514264337593543950.33",
    "9999999999999999999999999999", // 10^28 − 1: the ledger's largest amount
    "99999999999999999999999999.99",
    "1000000000000000000000000000", // 10^27
    "8000000000000000000000000.00",
    "370000000000000000000000.00",
    "18446744073709551615.99", // u64::MAX
    "9223372036854775807.00",  // i64::MAX
    "1000000000000000.01",
    "0.0000000001",
    "0.0000000000000000000000000001", // the smallest positive Decimal
    "0.3333333333333333333333333333",
    "0.001",
    "0.005",
    "0.015",
    "1",
    "100",
];

/// Texts a strict decimal parser must refuse, and the negative amounts money fields
/// refuse.
const ODD_AMOUNTS: &[&str] = &[
    "1e3",
    "1E-2",
    "+1.00",
    " 1.00",
    ".5",
    "5.",
    "NaN",
    "1_000.00",
    "١٢٣.٤٥", // Arabic-Indic digits
    "",
    "792281625142643375935439503350",
    "0.00000000000000000000000000001",
    "-0",
    "-0.00",
    "-0.01",
    "-1.00",
    "-79228162514264337593543950335",
];

/// A decimal amount as its JSON text (a string, as rihla's wire format wants): mostly an
/// ordinary price at two decimals (so that the rest of the input is priced), often an
/// amount at an edge of the arithmetic, sometimes past one, rarely a text the parser must
/// refuse.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount(pub String);

impl<'a> Arbitrary<'a> for Amount {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let text = match u.int_in_range(0u8..=63)? {
            0..=39 => format!(
                "{}.{:02}",
                u.int_in_range(0u32..=99_999)?,
                u.int_in_range(0u32..=99)?
            ),
            40..=43 => format!("0.{:02}", u.int_in_range(0u32..=99)?),
            44..=47 => format!("{}.00", u.int_in_range(0u32..=9_999)?),
            48..=53 => u.choose(EDGE_AMOUNTS)?.to_string(),
            54..=55 => digits(u, 1, 15, 2)?,
            56 => digits(u, 1, 16, 3)?,
            57 => {
                let scale = u.int_in_range(0..=28)?;
                digits(u, 1, 29 - scale.min(28), scale)?
            }
            58 => {
                // A power of ten at some scale: 10^k, written with `s` decimals.
                let k = u.int_in_range(0..=28usize)?;
                let s = u.int_in_range(0..=4usize)?;
                let mut t = format!("1{}", "0".repeat(k));
                if s > 0 {
                    t.push('.');
                    t.push_str(&"0".repeat(s));
                }
                t
            }
            59 => u.choose(BEYOND_AMOUNTS)?.to_string(),
            60 => format!("{}", u.arbitrary::<u64>()?),
            61 => format!("{}", u.int_in_range(0u32..=99_999)?),
            _ => u.choose(ODD_AMOUNTS)?.to_string(),
        };
        Ok(Amount(text))
    }
}

/// A random digit string of `min..=max` integer digits and exactly `scale` decimals.
fn digits(u: &mut Unstructured<'_>, min: usize, max: usize, scale: usize) -> Result<String> {
    let n = u.int_in_range(min..=max.max(min))?;
    let mut text = String::with_capacity(n + scale + 1);
    for i in 0..n {
        let d = u.int_in_range(if i == 0 && n > 1 { 1u8 } else { 0 }..=9)?;
        text.push(char::from(b'0' + d));
    }
    if scale > 0 {
        text.push('.');
        for _ in 0..scale {
            text.push(char::from(b'0' + u.int_in_range(0u8..=9)?));
        }
    }
    Ok(text)
}

/// A percentage as decimal text (offers, taxes, CHD/INF fares): 0, 100, just past them,
/// long fractions, and the amount edges.
#[derive(Debug, Clone, PartialEq)]
pub struct Percent(pub String);

impl<'a> Arbitrary<'a> for Percent {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        const EDGES: &[&str] = &[
            "0",
            "100",
            "100.00",
            "99.9999999999999999999999999",
            "0.0000000000000000000000000001",
            "33.3333333333333333333333333",
            "66.67",
            "12.5",
            "0.5",
        ];
        const BEYOND: &[&str] = &["100.0000000001", "101", "1000", "-1", "-0", "1e2"];
        Ok(Percent(match u.int_in_range(0u8..=15)? {
            0 => Amount::arbitrary(u)?.0,
            1 => u.choose(BEYOND)?.to_string(),
            2..=5 => u.choose(EDGES)?.to_string(),
            6..=7 => format!(
                "{}.{}",
                u.int_in_range(0u8..=99)?,
                u.int_in_range(0u32..=9999)?
            ),
            _ => u
                .choose(&["5", "10", "14", "15", "25", "50", "75"])?
                .to_string(),
        }))
    }
}

/// A count (quantity, passengers, travellers): 0, 1, the engine's limits and one past
/// them, `u32::MAX`, or anything.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Count(pub u64);

impl<'a> Arbitrary<'a> for Count {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        const EDGES: &[u64] = &[
            9,
            10,
            99,
            100,
            200,
            201,
            9_999,
            10_000,
            10_001,
            65_535,
            4_294_967_295,
        ];
        const BEYOND: &[u64] = &[4_294_967_296, 9_007_199_254_740_991, u64::MAX];
        Ok(Count(match u.int_in_range(0u8..=31)? {
            0..=21 => u.int_in_range(0..=4)?,
            22..=24 => u.int_in_range(0..=50)?,
            25..=28 => *u.choose(EDGES)?,
            29..=30 => u64::from(u.arbitrary::<u32>()?),
            _ => *u.choose(BEYOND)?,
        }))
    }
}

/// A quantity or passenger count of something that needs at least one: mostly 1–20,
/// sometimes the limits (10,000 units, 99 passengers) and one past them, rarely 0 or a
/// [`Count`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity(pub u64);

impl<'a> Arbitrary<'a> for Quantity {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        const EDGES: &[u64] = &[99, 100, 9_999, 10_000, 10_001];
        Ok(Quantity(match u.int_in_range(0u8..=31)? {
            0 => 0,
            1 => Count::arbitrary(u)?.0,
            2..=3 => *u.choose(EDGES)?,
            4..=11 => u.int_in_range(2..=20)?,
            _ => 1,
        }))
    }
}

/// A passenger count of something that needs a few: mostly 1–3, sometimes the limits
/// (9 seated, 99 per type) and one past them, rarely 0 or a [`Count`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Few(pub u64);

impl<'a> Arbitrary<'a> for Few {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        const EDGES: &[u64] = &[8, 9, 10, 99, 100];
        Ok(Few(match u.int_in_range(0u8..=31)? {
            0 => 0,
            1 => Count::arbitrary(u)?.0,
            2 => *u.choose(EDGES)?,
            _ => u.int_in_range(1..=3)?,
        }))
    }
}

/// A voucher code as a customer types it: mostly one the rulebooks know (in any case,
/// with spaces), sometimes any [`Text`].
#[derive(Debug, Clone, PartialEq)]
pub struct VoucherCode(pub String);

/// The codes of the default rulebook and of the generated ones (`RulebookInput` codes
/// come from the same list).
pub const VOUCHER_CODES: &[&str] = &["umrah150", "UMRAH150", " Umrah150 ", "SAVE", "TEN", "V-0"];

impl<'a> Arbitrary<'a> for VoucherCode {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(VoucherCode(match u.int_in_range(0u8..=7)? {
            0 => Text::arbitrary(u)?.0,
            _ => u.choose(VOUCHER_CODES)?.to_string(),
        }))
    }
}

/// A small count for passenger types (mostly 0–3, sometimes an edge).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pax(pub u64);

impl<'a> Arbitrary<'a> for Pax {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Pax(match u.int_in_range(0u8..=31)? {
            0 => Count::arbitrary(u)?.0,
            1..=23 => 0,
            24..=29 => 1,
            _ => 2,
        }))
    }
}

/// An RFC 3339 instant: mostly around 2026–2027 (where the default rulebook's windows
/// are), sometimes at the ends of the calendar (0001, 9999) or with extreme offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct Instant(pub String);

impl<'a> Arbitrary<'a> for Instant {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        const EDGES: &[&str] = &[
            "9999-12-31T23:59:59Z",
            "9999-12-31T23:59:59.999999999Z",
            "9999-12-31T23:59:59-14:00",
            "9999-12-31T00:00:00+14:00",
            "9999-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00+14:00",
            "0001-01-01T00:00:00-14:00",
            "0000-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2028-02-29T12:00:00+03:00",
            "2026-11-22T09:30:00Z",
            "2026-12-18T01:35:00+06:00",
            "2027-05-16T10:00:00+03:00",
            "2026-12-31T23:59:60Z",
        ];
        Ok(Instant(match u.int_in_range(0u8..=15)? {
            0 => u.choose(EDGES)?.to_string(),
            _ => {
                let year = u.int_in_range(2026..=2027)?;
                let month = u.int_in_range(1..=12)?;
                let day = u.int_in_range(1..=28)?;
                let hour = u.int_in_range(0..=23)?;
                let minute = u.int_in_range(0..=59)?;
                let offset = *u.choose(&["Z", "+03:00", "+06:00", "-05:00", "+05:45", "+14:00"])?;
                format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:00{offset}")
            }
        }))
    }
}

/// A calendar date (`YYYY-MM-DD`), with the same bias as [`Instant`].
#[derive(Debug, Clone, PartialEq)]
pub struct Date(pub String);

impl<'a> Arbitrary<'a> for Date {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let instant = Instant::arbitrary(u)?.0;
        Ok(Date(instant.chars().take(10).collect()))
    }
}

/// An id or code: ordinary ASCII, empty, at and past the 128-character limit, or in
/// other scripts (combining marks, right-to-left, astral planes, NUL).
#[derive(Debug, Clone, PartialEq)]
pub struct Text(pub String);

impl<'a> Arbitrary<'a> for Text {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        const EDGES: &[&str] = &[
            "",
            " ",
            "HTL-1",
            "FLT-1",
            "A",
            "umrah150",
            "UMRAH150",
            " umrah150 ",
            "ı",
            "İSTANBUL",
            "ß",
            "é",
            "e\u{301}",
            "مكة",
            "\u{202e}1LTH",
            "𝔘𝔪𝔯𝔞𝔥",
            "😀",
            "a\u{0}b",
            "\u{feff}X",
            "FLT-1/ADT",
        ];
        Ok(Text(match u.int_in_range(0u8..=15)? {
            0 => u.arbitrary::<String>()?,
            1 => "x".repeat(128),
            2 => "é".repeat(u.int_in_range(127..=129)?),
            3..=7 => u.choose(EDGES)?.to_string(),
            _ => format!("ID-{}", u.int_in_range(0u8..=20)?),
        }))
    }
}

/// An ISO 4217 code: currencies of every exponent (0, 2, 3, 4), and a few that are not
/// currencies.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrencyCode(pub &'static str);

/// The currencies the generators use: exponents 0 (JPY), 2, 3 (KWD, BHD) and 4 (CLF).
pub const CURRENCIES: &[&str] = &[
    "SAR", "USD", "KWD", "JPY", "BHD", "EGP", "AED", "BDT", "CLF", "EUR",
];

/// Codes that are not currencies with minor units.
const NOT_CURRENCIES: &[&str] = &["XAU", "XXX", "sar", "ZZZ", ""];

impl<'a> Arbitrary<'a> for CurrencyCode {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(CurrencyCode(match u.int_in_range(0u8..=31)? {
            0..=5 => u.choose(CURRENCIES)?,
            6 => u.choose(NOT_CURRENCIES)?,
            _ => "SAR",
        }))
    }
}

/// One of `options`, or (rarely) an arbitrary string: enum names of the JSON schema.
pub fn name<'a>(u: &mut Unstructured<'a>, options: &[&'static str]) -> Result<String> {
    if u.ratio(1u8, 32)? {
        return Ok(Text::arbitrary(u)?.0);
    }
    Ok(u.choose(options)?.to_string())
}

/// Up to `max` elements (fewer when the input runs out).
pub fn list<'a, T: Arbitrary<'a>>(u: &mut Unstructured<'a>, max: usize) -> Result<Vec<T>> {
    let n = u.int_in_range(0..=max)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        if u.is_empty() {
            break;
        }
        out.push(T::arbitrary(u)?);
    }
    Ok(out)
}
