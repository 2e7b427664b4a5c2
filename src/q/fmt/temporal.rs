//! Text of temporal values (no nulls or infinities here: the caller handles those).
//!
//! Dates count days from 2000.01.01, months from 2000.01, timestamps and timespans are
//! nanoseconds, times milliseconds, seconds and minutes their own units; datetimes are float
//! days, shown to the millisecond.

use crate::obj::temporal::civil;

const NS_PER_DAY: i64 = 86_400_000_000_000;
const MS_PER_DAY: i64 = 86_400_000;

/// `2024.01.02`
pub fn date(days: i32, out: &mut String) {
    let (y, m, d) = civil(days);
    if y < 1 {
        // kdb+ has no year 0 or before: `0001.01.01-1` shows as `0000.00.00`.
        out.push_str("0000.00.00");
        return;
    }
    push_year(y, out);
    out.push_str(&format!(".{m:02}.{d:02}"));
}

/// `2024.01` (the suffix `m` is the caller's).
pub fn month(months: i32, out: &mut String) {
    let months = months as i64;
    push_year((2000 + months.div_euclid(12)) as i32, out);
    out.push_str(&format!(".{:02}", months.rem_euclid(12) + 1));
}

fn push_year(y: i32, out: &mut String) {
    if y < 0 {
        out.push_str(&format!("-{:04}", -(y as i64)));
    } else {
        out.push_str(&format!("{y:04}"));
    }
}

/// `2024.01.02D10:00:00.123456789`
pub fn timestamp(ns: i64, out: &mut String) {
    let days = ns.div_euclid(NS_PER_DAY);
    date(days as i32, out);
    out.push('D');
    clock_ns(ns.rem_euclid(NS_PER_DAY), out);
}

/// `0D10:00:00.000000000`, `-1D23:59:59.999999999`
pub fn timespan(ns: i64, out: &mut String) {
    if ns < 0 {
        out.push('-');
    }
    let abs = ns.unsigned_abs() as i64;
    out.push_str(&(abs / NS_PER_DAY).to_string());
    out.push('D');
    clock_ns(abs % NS_PER_DAY, out);
}

fn clock_ns(ns: i64, out: &mut String) {
    let s = ns / 1_000_000_000;
    out.push_str(&format!(
        "{:02}:{:02}:{:02}.{:09}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ns % 1_000_000_000
    ));
}

/// `2024.01.02T10:00:00.000`
pub fn datetime(days: f64, out: &mut String) {
    let ms = (days * MS_PER_DAY as f64).round() as i64;
    date(ms.div_euclid(MS_PER_DAY) as i32, out);
    out.push('T');
    clock_ms(ms.rem_euclid(MS_PER_DAY), out);
}

/// `10:00:00.000`
pub fn time(ms: i32, out: &mut String) {
    if ms < 0 {
        out.push('-');
    }
    clock_ms(ms.unsigned_abs() as i64, out);
}

fn clock_ms(ms: i64, out: &mut String) {
    let s = ms / 1000;
    out.push_str(&format!(
        "{:02}:{:02}:{:02}.{:03}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ms % 1000
    ));
}

/// `10:00:00`
pub fn second(s: i32, out: &mut String) {
    if s < 0 {
        out.push('-');
    }
    let s = s.unsigned_abs();
    out.push_str(&format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60));
}

/// `10:00`
pub fn minute(m: i32, out: &mut String) {
    if m < 0 {
        out.push('-');
    }
    let m = m.unsigned_abs();
    out.push_str(&format!("{:02}:{:02}", m / 60, m % 60));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obj::temporal::ymd;

    fn s(f: impl FnOnce(&mut String)) -> String {
        let mut out = String::new();
        f(&mut out);
        out
    }

    #[test]
    fn calendar_types() {
        assert_eq!(s(|o| date(ymd(2024, 1, 2), o)), "2024.01.02");
        assert_eq!(s(|o| date(ymd(3001, 1, 1), o)), "3001.01.01");
        assert_eq!(s(|o| month(24 * 12, o)), "2024.01");
        assert_eq!(s(|o| month(-1, o)), "1999.12");
        let ts = ymd(2024, 1, 2) as i64 * NS_PER_DAY + 36_000_123_456_789;
        assert_eq!(s(|o| timestamp(ts, o)), "2024.01.02D10:00:00.123456789");
        // The limits of the timestamp type, as the datatypes page shows them.
        assert_eq!(
            s(|o| timestamp(i64::MIN + 2, o)),
            "1707.09.22D00:12:43.145224194"
        );
        assert_eq!(
            s(|o| timestamp(i64::MAX - 1, o)),
            "2292.04.10D23:47:16.854775806"
        );
        assert_eq!(s(|o| datetime(0.5, o)), "2000.01.01T12:00:00.000");
    }

    #[test]
    fn clock_types() {
        assert_eq!(
            s(|o| timespan(36_000_000_000_000, o)),
            "0D10:00:00.000000000"
        );
        assert_eq!(
            s(|o| timespan(i64::MAX - 1, o)),
            "106751D23:47:16.854775806"
        );
        assert_eq!(
            s(|o| timespan(-(i64::MAX - 1), o)),
            "-106751D23:47:16.854775806"
        );
        assert_eq!(s(|o| minute(720, o)), "12:00");
        assert_eq!(s(|o| second(43200, o)), "12:00:00");
        assert_eq!(s(|o| time(43_200_000 + 5, o)), "12:00:00.005");
        assert_eq!(s(|o| minute(-1, o)), "-00:01");
    }
}
