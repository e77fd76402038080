//! Hard size limits on every request and rulebook ("put a limit on everything"), so that
//! a hostile browser payload cannot exhaust a server. Past a limit the input is refused
//! with [`crate::Error::LimitExceeded`] naming the field, the limit and the count.

/// Largest JSON text accepted for a request, in bytes (1 MiB).
pub const MAX_REQUEST_BYTES: usize = 1 << 20;
/// Largest JSON text accepted for a rulebook, in bytes (16 MiB).
pub const MAX_RULEBOOK_BYTES: usize = 16 << 20;
/// Items in one quote request.
pub const MAX_ITEMS: usize = 200;
/// Units of one item (`quantity`), e.g. room-nights or seats.
pub const MAX_QUANTITY: u32 = 10_000;
/// Passengers of one passenger type on one flight item.
pub const MAX_PASSENGERS_PER_TYPE: u32 = 99;
/// Segments of one flight item.
pub const MAX_SEGMENTS: usize = 16;
/// Voucher codes in one request.
pub const MAX_VOUCHER_CODES: usize = 10;
/// Characters of an id, a code or a name.
pub const MAX_ID_CHARS: usize = 128;
/// Characters of a free-text description.
pub const MAX_TEXT_CHARS: usize = 1_000;
/// Entries of a request's `usage.offers`, and of its `usage.vouchers` (the host's counts
/// of the rules it prices with).
pub const MAX_USAGE_ENTRIES: usize = 1_000;
/// Offers in a rulebook.
pub const MAX_OFFERS: usize = 1_000;
/// Vouchers in a rulebook.
pub const MAX_VOUCHERS: usize = 100_000;
/// Tax rules in a rulebook.
pub const MAX_TAXES: usize = 200;
/// Entries of a list inside one rule (categories, item ids).
pub const MAX_RULE_LIST: usize = 1_000;
/// Customer legs of one charter.
pub const MAX_CHARTER_LEGS: usize = 16;
/// Host-given airports of one charter.
pub const MAX_CHARTER_AIRPORTS: usize = 64;
/// Fees of one charter.
pub const MAX_CHARTER_FEES: usize = 32;
/// Surcharges of the rulebook's charter rules.
pub const MAX_CHARTER_SURCHARGES: usize = 100;
/// Availability windows, and bookings, of one aircraft's calendar.
pub const MAX_CALENDAR_ENTRIES: usize = 1_000;
