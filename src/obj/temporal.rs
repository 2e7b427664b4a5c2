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

/// kdb+'s C API calendar (`ymd` and `dj` in libe.so), integer for integer: March-based years
/// with floor divisions, 0N for a month outside 1..12, a null year or a day of 0, and for a
/// day past the month's end; other days count from the month's start (`ymd(2000,1,-1)` is two
/// days before 2000.01.01). `dj` inverts it through the same floating-point steps.
pub mod c_api {
    /// Cumulative days before each month of a March-based year.
    const MARCH_DAYS: [i32; 12] = [0, 31, 61, 92, 122, 153, 184, 214, 245, 275, 306, 337];
    const NI: i32 = i32::MIN;
    const EPOCH: i32 = 730_425;

    /// Days from 2000.01.01 to the first of the month `m0` (0-based) of `y`.
    fn month_start(y: i32, m0: i32) -> i32 {
        let jan_feb = m0 <= 1;
        let y = y.wrapping_sub(jan_feb as i32);
        // libe.so divides by 100 and 400 with a multiply and shifts and no sign correction;
        // the same operations give the same (for negative years, off-by-one) quotients.
        let hi = ((y as i64 * 0x51eb_851f) >> 32) as i32;
        let leap = (hi >> 7) - (hi >> 5) + (y >> 2);
        let idx = if jan_feb { m0 + 10 } else { m0 - 2 };
        leap.wrapping_add(y.wrapping_mul(365))
            .wrapping_sub(EPOCH)
            .wrapping_add(MARCH_DAYS[idx as usize])
    }

    pub fn ymd(y: i32, m: i32, d: i32) -> i32 {
        if m <= 0 || y == NI || m > 12 {
            return NI;
        }
        let start = month_start(y, m - 1);
        if d == 0 {
            return NI;
        }
        let next = month_start(y.wrapping_add(m / 12), m % 12);
        let d0 = d.wrapping_sub(1);
        if d0 < next.wrapping_sub(start) {
            start.wrapping_add(d0)
        } else {
            NI
        }
    }

    /// libe.so indexes its month table without a bounds check: before a year 0 the index
    /// goes negative and it reads the constants stored just before the table (these), and
    /// zeroes after it.
    const BEFORE: [i32; 12] = [7, 6, 6, 9, 7, 6, 6, 6, 7, 0, 0, 0];

    fn table_at(i: i32) -> i32 {
        match i {
            0..=11 => MARCH_DAYS[i as usize],
            -12..=-1 => BEFORE[(i + 12) as usize],
            _ => 0,
        }
    }

    /// x86's truncating conversion: out of range (or NaN) gives i32::MIN.
    fn trunc(x: f64) -> i32 {
        if x.is_nan() || x >= 2_147_483_648.0 || x <= -2_147_483_649.0 {
            NI
        } else {
            x as i32
        }
    }

    pub fn dj(d: i32) -> i32 {
        let mut day = d.wrapping_add(EPOCH);
        let c = trunc((day as f64 + 0.75) / 36_524.25);
        day = day.wrapping_sub(trunc(c as f64 * 36_524.25));
        let yc = trunc((day as f64 + 0.75) / 365.25);
        let year = yc.wrapping_add(c.wrapping_mul(100));
        day = day.wrapping_sub(trunc(yc as f64 * 365.25));
        let mi = day.wrapping_mul(5).wrapping_add(2) / 153;
        day = day.wrapping_sub(table_at(mi));
        let packed = year
            .wrapping_mul(384)
            .wrapping_add(mi.wrapping_add(2).wrapping_mul(32))
            .wrapping_sub(768_000)
            .wrapping_add(day);
        let months = (packed >> 5).wrapping_add(24_000);
        let y = months / 12;
        let m = months - y * 12 + 1;
        y.wrapping_mul(10_000)
            .wrapping_add(m.wrapping_mul(100))
            .wrapping_add(1)
            .wrapping_add(packed & 31)
    }
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
    fn c_api_calendar_is_libe_exactly() {
        use c_api::{dj, ymd};
        assert_eq!(ymd(2000, 1, 1), 0);
        assert_eq!(ymd(2020, 2, 30), i32::MIN);
        assert_eq!(ymd(2020, 13, 1), i32::MIN);
        assert_eq!(ymd(2000, 1, 0), i32::MIN);
        assert_eq!(ymd(2000, 1, -1), -2);
        assert_eq!(ymd(2024, 2, 29), 8825);
        assert_eq!(dj(0), 20000101);
        assert_eq!(dj(8825), 20240229);
        assert_eq!(dj(i32::MIN), 1532383077);
        assert_eq!(dj(i32::MAX), 1532383076);
        for days in (-700_000..2_900_000).step_by(101) {
            let v = dj(days);
            assert_eq!(ymd(v / 10_000, v / 100 % 100, v % 100), days, "day {days}");
        }
    }

    #[test]
    fn round_trips_across_the_range() {
        for days in (-800_000..800_000).step_by(37) {
            let (y, m, d) = civil(days);
            assert_eq!(ymd(y, m, d), days, "day {days}");
        }
    }
}
