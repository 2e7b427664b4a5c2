//! The `.z` values that describe the process: the clock (`.z.p .z.P .z.t .z.T .z.d .z.D .z.z
//! .z.Z .z.n .z.N`, lower case UTC, upper case local) and who and where it runs (`.z.x .z.X
//! .z.f .z.K .z.k .z.o .z.h .z.i .z.u .z.c .z.l`).
//!
//! Local time is UTC plus `\o` (hours, or minutes when its size is over 23) when it is set,
//! else the offset of the `TZ` zone at that instant.

use super::engine::Engine;
use crate::obj::*;

/// Nanoseconds from 1970.01.01 to 2000.01.01, q's epoch.
const EPOCH_NS: i64 = 946_684_800 * 1_000_000_000;
const DAY_NS: i64 = 86_400 * 1_000_000_000;

/// The version this engine answers to (`.z.K`) and its release date (`.z.k`): kdb+ 4.1's.
const VERSION: f64 = 4.1;
const RELEASE: (i32, i32, i32) = (2024, 10, 18);

/// A `.z` process value by its full name, or None for other names.
pub fn value(eng: &Engine, name: &str) -> Option<K> {
    let z = name.strip_prefix(".z.")?;
    if z.len() != 1 {
        return None;
    }
    let c = z.as_bytes()[0];
    if b"pPtTdDzZnN".contains(&c) {
        let utc = crate::sys::clock::now_unix_ns() - EPOCH_NS;
        let ns = if c.is_ascii_uppercase() {
            utc + local_offset_ns(eng, utc)
        } else {
            utc
        };
        return Some(clock_value(c.to_ascii_lowercase(), ns));
    }
    Some(match c {
        b'K' => K::float(VERSION),
        b'k' => K::atom_i32(
            -KD,
            crate::obj::temporal::ymd(RELEASE.0, RELEASE.1, RELEASE.2),
        ),
        b'o' => K::sym(Sym::new(os_name())),
        b'x' => strings(&user_args(&eng.settings.lock().options_raw)),
        b'X' => strings(&eng.settings.lock().command_line),
        b'f' => K::sym(Sym::new(eng.settings.lock().script.as_str())),
        b'i' => K::int(std::process::id() as i32),
        b'h' => K::sym(Sym::new(crate::sys::host::hostname())),
        // The connection being answered gives its user; the console is the process's.
        b'u' => K::sym(
            crate::q::server::context::user()
                .unwrap_or_else(|| Sym::new(crate::sys::host::user_name())),
        ),
        b'c' => K::int(crate::sys::host::cores() as i32),
        b'l' => licence(),
        _ => return None,
    })
}

/// The value of clock name `c` (lower case) at `ns` nanoseconds from 2000.01.01.
fn clock_value(c: u8, ns: i64) -> K {
    let day = ns.div_euclid(DAY_NS);
    let in_day = ns.rem_euclid(DAY_NS);
    match c {
        b'p' => K::atom_i64(-KP, ns),
        b'd' => K::atom_i32(-KD, day as i32),
        b't' => K::atom_i32(-KT, (in_day / 1_000_000) as i32),
        b'n' => K::atom_i64(-KN, in_day),
        // A datetime holds milliseconds, as kdb+'s clock gives it.
        _ => K::atom_word(
            -KZ,
            (ns.div_euclid(1_000_000) as f64 / 86_400_000.0).to_bits(),
        ),
    }
}

/// Local time's offset from UTC at `utc` (ns from 2000.01.01), in nanoseconds.
pub fn local_offset_ns(eng: &Engine, utc: i64) -> i64 {
    let o = eng.settings.lock().session.utc_offset;
    if o != NJ {
        let minutes = if o.abs() > 23 { o } else { o * 60 };
        return minutes * 60_000_000_000;
    }
    let unix_secs = (utc + EPOCH_NS).div_euclid(1_000_000_000);
    crate::sys::clock::local_offset_secs(unix_secs) * 1_000_000_000
}

/// `ltime x` (UTC to local) and `gtime x` (local to UTC) of timestamps and datetimes, by the
/// local offset at each instant; nulls and infinities stay as they are.
pub fn shift_zone(eng: &Engine, x: &K, to_local: bool) -> Result<K> {
    let shift = |ns: i64| -> i64 {
        if ns == NJ || ns == WJ || ns == -WJ {
            return ns;
        }
        if to_local {
            ns + local_offset_ns(eng, ns)
        } else {
            // The offset that applied at the UTC instant this local time names.
            ns - local_offset_ns(eng, ns - local_offset_ns(eng, ns))
        }
    };
    let days = |d: f64| -> f64 {
        if !d.is_finite() {
            return d;
        }
        let ns = (d * DAY_NS as f64).round() as i64;
        shift(ns) as f64 / DAY_NS as f64
    };
    Ok(match x.t() {
        t if t == -KP => K::atom_i64(-KP, shift(x.j())),
        t if t == -KZ => K::atom_word(-KZ, days(x.f()).to_bits()),
        KP => {
            let v: Vec<i64> = x.as_slice::<i64>().iter().map(|&n| shift(n)).collect();
            K::from_slice(KP, &v)
        }
        KZ => {
            let v: Vec<f64> = x.as_slice::<f64>().iter().map(|&d| days(d)).collect();
            K::from_slice(KZ, &v)
        }
        _ => return Err(Error::type_()),
    })
}

fn os_name() -> &'static str {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "aarch64") => "l64arm",
        ("linux", "x86") => "l32",
        ("linux", _) => "l64",
        ("macos", "aarch64") => "m64arm",
        ("macos", _) => "m64",
        ("windows", _) => "w64",
        _ => "l64",
    }
}

fn strings(v: &[String]) -> K {
    K::list(v.iter().map(K::string).collect())
}

/// `.z.x`: the command line after q's own options and the script are taken out.
fn user_args(raw: &[String]) -> Vec<String> {
    let (script, opts) = super::startup::parse_args(raw);
    let mut out = Vec::new();
    let mut script_seen = false;
    let mut i = 0;
    while i < raw.len() {
        let a = &raw[i];
        if !script_seen && script.as_deref() == Some(a.as_str()) && !a.starts_with('-') {
            script_seen = true;
            i += 1;
            continue;
        }
        if let Some(opt) = a.strip_prefix('-') {
            if super::startup::is_q_option(opt) {
                // Skip the option and the values parse_args gave it.
                let n = opts
                    .iter()
                    .find(|(o, _)| o == opt)
                    .map_or(0, |(_, v)| v.split_whitespace().count());
                i += 1 + n;
                continue;
            }
        }
        out.push(a.clone());
        i += 1;
    }
    out
}

/// `.z.l`, shaped as kdb+'s licence details: (maximum cores; expiry date; update date; four
/// flags; banner text; a flag). No licence is needed: no core limit, no dates.
fn licence() -> K {
    let items = [
        "",
        "",
        "",
        "1",
        "1",
        "1",
        "0",
        "libq-rs: no licence required",
        "0",
    ];
    K::list(items.iter().map(K::string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_values_split_one_instant() {
        // 2024.03.05D13:14:15.123456789 as ns from 2000.01.01.
        let day = crate::obj::temporal::ymd(2024, 3, 5) as i64;
        let ns = day * DAY_NS + ((13 * 60 + 14) * 60 + 15) * 1_000_000_000 + 123_456_789;
        assert_eq!(clock_value(b'd', ns).i() as i64, day);
        assert_eq!(
            clock_value(b't', ns).i(),
            ((13 * 60 + 14) * 60 + 15) * 1000 + 123
        );
        assert_eq!(clock_value(b'n', ns).j(), ns - day * DAY_NS);
        assert_eq!(clock_value(b'p', ns).j(), ns);
        let z = clock_value(b'z', ns).f();
        assert!((z - (ns / 1_000_000) as f64 / 86_400_000.0).abs() < 1e-12);
        // Before 2000 the day is the floor, the time of day stays positive.
        assert_eq!(clock_value(b'd', -1).i(), -1);
        assert_eq!(clock_value(b'n', -1).j(), DAY_NS - 1);
    }

    #[test]
    fn offsets_in_hours_or_minutes() {
        let eng = Engine::new();
        eng.settings.lock().session.utc_offset = 2;
        assert_eq!(local_offset_ns(&eng, 0), 2 * 3_600_000_000_000);
        eng.settings.lock().session.utc_offset = -90;
        assert_eq!(local_offset_ns(&eng, 0), -90 * 60_000_000_000);
        let p = K::atom_i64(-KP, 1000);
        assert_eq!(
            shift_zone(&eng, &p, true).unwrap().j(),
            1000 - 90 * 60_000_000_000
        );
        let back = shift_zone(&eng, &shift_zone(&eng, &p, true).unwrap(), false).unwrap();
        assert_eq!(back.j(), 1000);
        let null = K::atom_i64(-KP, NJ);
        assert_eq!(shift_zone(&eng, &null, true).unwrap().j(), NJ);
    }

    #[test]
    fn user_arguments_leave_out_q_options_and_the_script() {
        let raw: Vec<String> = ["test.q", "-P", "0", "-abc", "123", "-c", "10", "20", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(user_args(&raw), vec!["-abc", "123", "x"]);
    }
}
