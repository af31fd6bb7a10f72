//! The bounds on what a scenario may hold, in one place: the decoder refuses files beyond them
//! and the app's fields refuse text beyond them, so a value typed in a field always survives a
//! save and a reload.
//!
//! With them every product the meters form (runs × price, a requests consumer's month, an ISV
//! customer's runs) stays well inside `Decimal`'s 28 digits, so no valid scenario overflows.

/// The largest count (users, runs, requests …) a scenario may hold.
pub const MAX_COUNT: u64 = 1_000_000_000_000_000;

/// The largest number of GB in one storage figure.
pub const MAX_GB: u64 = 1_000_000_000;

/// The largest unit price of an override.
pub const MAX_PRICE: u64 = 1_000_000;

/// The largest small count: licences per flow, add-on packs, apps per user group.
pub const MAX_SMALL: u32 = 1_000_000;

/// The longest list accepted (benchmarks use a million run records; this is far above).
pub const MAX_LIST: usize = 10_000_000;

/// The first year a billing month may fall in.
pub const MIN_YEAR: u64 = 2000;

/// The last year a billing month may fall in.
pub const MAX_YEAR: u64 = 2100;
