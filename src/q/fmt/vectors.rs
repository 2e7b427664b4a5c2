//! Simple vectors in their one-line form, which is both what the console prints for them and
//! their `-3!` text: `1 2 3`, `1 0N 3i`, `1 2 3f`, `101b`, `0x0102`, `"abc"`, `` `a`b ``,
//! `,1` for one item, `` `long$() `` for none, `` `s#`` and friends in front.

use super::enums;
use super::items::{self, Style};
use super::strings;
use crate::obj::*;

/// Appends the text of the simple vector `x`, stopping soon after `out` passes `limit` bytes.
pub fn write(x: &K, out: &mut String, limit: usize, precision: usize) {
    let t = x.t();
    let n = x.n();
    out.push_str(attribute_prefix(x.attr()));
    if n == 0 {
        out.push_str(&empty(t));
        return;
    }
    // An enumeration's domain goes first, then what its items stand for: `` `p$,`p4 ``.
    if (ENUM_FIRST..=ENUM_LAST).contains(&t) {
        out.push('`');
        out.push_str(&enums::domain_name(t).as_str());
        out.push(enums::separator(t));
        return write(&enums::values(x), out, limit, precision);
    }
    if n == 1 {
        out.push(',');
    }
    match t {
        KC => strings::quoted(x.as_slice::<u8>(), out, limit),
        KB => {
            for &b in x.as_slice::<u8>() {
                if out.len() > limit {
                    return;
                }
                out.push(if b != 0 { '1' } else { '0' });
            }
            out.push('b');
        }
        KG => {
            out.push_str("0x");
            for &b in x.as_slice::<u8>() {
                if out.len() > limit {
                    return;
                }
                out.push_str(&format!("{b:02x}"));
            }
        }
        KS => {
            for &s in x.as_slice::<Sym>() {
                if out.len() > limit {
                    return;
                }
                out.push('`');
                out.push_str(&s.as_str());
            }
        }
        _ => spaced(x, out, limit, precision),
    }
}

/// Numbers, temporals and guids: items apart by spaces, then the type letter where the items
/// alone would not tell the type.
fn spaced(x: &K, out: &mut String, limit: usize, precision: usize) {
    let t = x.t();
    let mut integral = true;
    let mut all_special = true;
    for i in 0..x.n() {
        if out.len() > limit {
            return;
        }
        if i > 0 {
            out.push(' ');
        }
        let start = out.len();
        let v = items::at(x, i);
        items::write(out, t, v, Style::InVector, precision);
        let text = &out[start..];
        integral &= super::floats::looks_integral(text);
        all_special &= text.contains('N') || text.contains('W');
    }
    let letter = items::type_char(t);
    let needed = match t {
        KH | KI | KE | KM => true,
        KF => integral,
        KP | KD | KZ | KN | KU | KV | KT => all_special,
        _ => false,
    };
    if needed {
        out.extend(letter);
    }
}

/// `` `s# `` and the like.
pub fn attribute_prefix(attr: u8) -> &'static str {
    match attr {
        ATTR_SORTED => "`s#",
        ATTR_UNIQUE => "`u#",
        ATTR_PARTED => "`p#",
        ATTR_GROUPED => "`g#",
        _ => "",
    }
}

/// The empty vector of type `t` as q writes it: `""`, `` `long$() ``, `` `sym$() ``.
pub fn empty(t: i8) -> String {
    let name = match t {
        KC => return "\"\"".into(),
        KB => "boolean",
        UU => "guid",
        KG => "byte",
        KH => "short",
        KI => "int",
        KJ => "long",
        KE => "real",
        KF => "float",
        KS => "symbol",
        KP => "timestamp",
        KM => "month",
        KD => "date",
        KZ => "datetime",
        KN => "timespan",
        KU => "minute",
        KV => "second",
        KT => "time",
        ENUM_FIRST..=ENUM_LAST => return format!("`{}$()", enums::domain_name(t).as_str()),
        _ => return "()".into(),
    };
    format!("`{name}$()")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obj::temporal::ymd;

    fn text(x: &K) -> String {
        let mut out = String::new();
        write(x, &mut out, usize::MAX, 7);
        out
    }

    fn v<T: Item>(t: i8, items: &[T]) -> String {
        text(&K::from_slice(t, items))
    }

    #[test]
    fn numeric_vectors_take_one_suffix() {
        assert_eq!(v(KJ, &[1i64, 2, 3]), "1 2 3");
        assert_eq!(v(KJ, &[10i64, 43, NJ]), "10 43 0N");
        assert_eq!(v(KJ, &[NJ, NJ, NJ, -3, -WJ, -WJ]), "0N 0N 0N -3 -0W -0W");
        assert_eq!(v(KI, &[1i32, 2, 3]), "1 2 3i");
        assert_eq!(v(KI, &[-1i32, -1, -1]), "-1 -1 -1i");
        assert_eq!(v(KH, &[1i16, NH]), "1 0Nh");
        assert_eq!(
            v(KE, &[1.0f32, 2.34, -567.1, 20.0, 171.0]),
            "1 2.34 -567.1 20 171e"
        );
        assert_eq!(v(KF, &[1.0f64, 0.0, 1.0]), "1 0 1f");
        assert_eq!(
            v(KF, &[1005.0f64, 2016.0, 6055.0, 24228.0]),
            "1005 2016 6055 24228f"
        );
        assert_eq!(
            v(KF, &[1.0f64, 1.5, 2.0, 2.0, 2.5, -WF, NF]),
            "1 1.5 2 2 2.5 -0w 0n"
        );
        assert_eq!(v(KF, &[NF, 3.0]), "0n 3");
        assert_eq!(v(KF, &[NF, NF]), "0n 0n");
        assert_eq!(v(KF, &[1.0, 162754.79, WF]), "1 162754.8 0w");
        assert_eq!(
            v(KF, &[0.01499558, 1.0, 1.105171, NF, WF]),
            "0.01499558 1 1.105171 0n 0w"
        );
    }

    #[test]
    fn compact_vectors() {
        assert_eq!(v(KB, &[0u8, 0, 0, 1, 0]), "00010b");
        assert_eq!(v(KG, &[1u8, 2]), "0x0102");
        assert_eq!(v(KC, b"bed"), "\"bed\"");
        assert_eq!(
            v(KS, &[Sym::new("vache"), Sym::new("mouton")]),
            "`vache`mouton"
        );
        assert_eq!(
            v(KS, &[Sym::new("a"), Sym::empty(), Sym::new("b")]),
            "`a``b"
        );
    }

    #[test]
    fn singletons_and_empties() {
        assert_eq!(v(KJ, &[3i64]), ",3");
        assert_eq!(v(KC, b"a"), ",\"a\"");
        assert_eq!(v(KS, &[Sym::new("xbar")]), ",`xbar");
        assert_eq!(v(KB, &[1u8]), ",1b");
        assert_eq!(
            v(
                KP,
                &[ymd(2013, 3, 15) as i64 * 86_400_000_000_000 + 68_140_686_000_000]
            ),
            ",2013.03.15D18:55:40.686000000"
        );
        assert_eq!(text(&K::vector(KJ, 0)), "`long$()");
        assert_eq!(text(&K::vector(KS, 0)), "`symbol$()");
        assert_eq!(text(&K::vector(KC, 0)), "\"\"");
        assert_eq!(text(&K::vector(KD, 0)), "`date$()");
        assert_eq!(text(&K::vector(KB, 0)), "`boolean$()");
    }

    #[test]
    fn temporal_vectors() {
        let d = ymd(1999, 1, 1);
        assert_eq!(v(KD, &[d, ymd(2000, 12, 31)]), "1999.01.01 2000.12.31");
        assert_eq!(v(KD, &[d, NI]), "1999.01.01 0N");
        assert_eq!(v(KD, &[NI, NI]), "0N 0Nd");
        assert_eq!(v(KM, &[0i32, 1]), "2000.01 2000.02m");
        assert_eq!(
            v(KP, &[-WJ + 1, WJ - 1]),
            "1707.09.22D00:12:43.145224194 2292.04.10D23:47:16.854775806"
        );
        assert_eq!(
            v(KN, &[-WJ + 1, WJ - 1]),
            "-106751D23:47:16.854775806 106751D23:47:16.854775806"
        );
    }

    #[test]
    fn attributes() {
        let mut x = K::from_slice(KJ, &[1i64, 2, 3]);
        x.set_attr(ATTR_SORTED);
        assert_eq!(text(&x), "`s#1 2 3");
        let mut y = K::from_slice(KS, &[Sym::new("a"), Sym::new("b")]);
        y.set_attr(ATTR_UNIQUE);
        assert_eq!(text(&y), "`u#`a`b");
    }
}
