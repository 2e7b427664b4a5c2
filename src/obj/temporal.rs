//! Calendar arithmetic for q's temporal types: days are counted from 2000.01.01.
//!
//! Proleptic Gregorian over the whole `i32` day range, using the days-from-civil algorithm
//! (era of 400 years, March-based years) so that dates long before 1900 and after 2200 are exact.

/// Days from 2000.01.01 to `year.month.day` (`ymd` in k.h).
pub fn ymd(year: i32, month: i32, day: i32) -> i32 {
    let y = year as i64 - (month <= 2) as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days_from_1970 = era * 146_097 + doe - 719_468;
    (days_from_1970 - 10_957) as i32
}

/// Year, month and day of a day count from 2000.01.01.
pub fn civil(days: i32) -> (i32, i32, i32) {
    let z = days as i64 + 10_957 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    (y as i32, m as i32, d as i32)
}

/// A day count as the integer yyyymmdd (`dj` in k.h).
pub fn dj(days: i32) -> i32 {
    let (y, m, d) = civil(days);
    y.wrapping_mul(10_000).wrapping_add(m * 100 + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(ymd(2000, 1, 1), 0);
        assert_eq!(ymd(1999, 12, 31), -1);
        assert_eq!(ymd(2000, 3, 1), 60);
        assert_eq!(ymd(1970, 1, 1), -10_957);
        assert_eq!(dj(0), 20000101);
        assert_eq!(dj(ymd(2024, 2, 29)), 20240229);
        assert_eq!(dj(ymd(1066, 10, 14)), 10661014);
        assert_eq!(dj(ymd(2500, 12, 31)), 25001231);
    }

    #[test]
    fn round_trips_across_the_range() {
        for days in (-800_000..800_000).step_by(37) {
            let (y, m, d) = civil(days);
            assert_eq!(ymd(y, m, d), days, "day {days}");
        }
    }
}
