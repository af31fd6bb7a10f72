//! The calendar month a scenario prices: the unit of every meter's period and of the dated
//! price books. It stands apart from the scenario so that the price books, which are dated by
//! month, need nothing else of the scenario model.

use serde::{Deserialize, Serialize};

/// A calendar month (UTC, AMB-1/AP-12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BillingMonth {
    /// The year, four digits (the decoder holds it to 2000..=2100).
    pub year: u16,
    /// 1..=12
    pub month: u8,
}

impl BillingMonth {
    /// Number of days in the month, with Gregorian leap years.
    pub fn days(self) -> u32 {
        match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 => {
                let y = u32::from(self.year);
                if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                    29
                } else {
                    28
                }
            }
            // Decoding rejects other months; a 30-day month keeps arithmetic sane regardless.
            _ => 30,
        }
    }

    /// The month that follows this one.
    pub fn next(self) -> BillingMonth {
        if self.month >= 12 {
            BillingMonth {
                year: self.year.saturating_add(1),
                month: 1,
            }
        } else {
            BillingMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
}

impl std::fmt::Display for BillingMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}
