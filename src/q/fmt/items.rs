//! One item of a simple type as text, in the three styles q uses:
//!
//! - `Atom`: a value on its own, with whatever suffix makes it read back (`42i`, `1f`, `0Nd`);
//! - `InVector`: one item inside a vector's text, whose suffix the vector adds once at its end
//!   (`1 0N 3i`), so nulls and infinities are bare `0N` `0W` (`0n` `0w` for floats);
//! - `Cell`: a table or dictionary cell, or the `string` of an atom: no suffix, no quotes or
//!   backticks, and nulls are blank.

use super::{floats, temporal};
use crate::obj::*;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Style {
    Atom,
    InVector,
    Cell,
}

/// A value read from an atom or a vector slot, with the (positive) type that gives it meaning.
#[derive(Copy, Clone)]
pub enum Value {
    Int(i64),
    Float(f64),
    Sym(Sym),
    Guid(Guid),
}

/// Item `i` of the simple vector `x`.
pub fn at(x: &K, i: usize) -> Value {
    let t = x.t();
    match t {
        KB | KG | KC => Value::Int(x.as_slice::<u8>()[i] as i64),
        KH => Value::Int(x.as_slice::<i16>()[i] as i64),
        KI | KM | KD | KU | KV | KT => Value::Int(x.as_slice::<i32>()[i] as i64),
        KJ | KP | KN => Value::Int(x.as_slice::<i64>()[i]),
        ENUM_FIRST..=ENUM_LAST => Value::Int(x.as_slice::<i64>()[i]),
        KE => Value::Float(x.as_slice::<f32>()[i] as f64),
        KF | KZ => Value::Float(x.as_slice::<f64>()[i]),
        KS => Value::Sym(x.as_slice::<Sym>()[i]),
        UU => Value::Guid(x.as_slice::<Guid>()[i]),
        _ => unreachable!("item of type {t}"),
    }
}

/// The value of an atom of a simple type.
pub fn of_atom(x: &K) -> Value {
    let t = -x.t();
    match t {
        KB | KG | KC => Value::Int(x.g() as i64),
        KH => Value::Int(x.h() as i64),
        KI | KM | KD | KU | KV | KT => Value::Int(x.i() as i64),
        KE => Value::Float(x.e() as f64),
        KF | KZ => Value::Float(x.f()),
        KS => Value::Sym(x.s()),
        UU => Value::Guid(x.guid()),
        _ => Value::Int(x.j()),
    }
}

/// Null and infinity of the integer-backed types, by item width.
fn int_limits(t: i8) -> (i64, i64) {
    match t {
        KH => (NH as i64, WH as i64),
        KI | KM | KD | KU | KV | KT => (NI as i64, WI as i64),
        _ => (NJ, WJ),
    }
}

/// The letter that marks type `t` in literals (`0Nd`, `42i`, `` `date$() `` uses names instead).
pub fn type_char(t: i8) -> Option<char> {
    Some(match t {
        KB => 'b',
        UU => 'g',
        KG => 'x',
        KH => 'h',
        KI => 'i',
        KE => 'e',
        KF => 'f',
        KC => 'c',
        KP => 'p',
        KM => 'm',
        KD => 'd',
        KZ => 'z',
        KN => 'n',
        KU => 'u',
        KV => 'v',
        KT => 't',
        _ => return None,
    })
}

/// Appends item `v` of type `t` (positive, simple) in `style`.
pub fn write(out: &mut String, t: i8, v: Value, style: Style, precision: usize) {
    crate::q::eval::stack::guard();
    if let (ENUM_FIRST..=ENUM_LAST, Value::Int(index)) = (t, v) {
        if style == Style::Atom {
            out.push('`');
            out.push_str(&super::enums::domain_name(t).as_str());
            out.push(super::enums::separator(t));
        }
        let (vt, v) = super::enums::shown(t, index);
        return write(out, vt, v, style, precision);
    }
    match v {
        Value::Sym(s) => {
            if style != Style::Cell {
                out.push('`');
            }
            out.push_str(&s.as_str());
        }
        Value::Guid(g) => guid(out, g),
        Value::Float(f) => float(out, t, f, style, precision),
        Value::Int(i) => int(out, t, i, style),
    }
}

fn guid(out: &mut String, g: Guid) {
    for (k, b) in g.0.iter().enumerate() {
        if matches!(k, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{b:02x}"));
    }
}

fn float(out: &mut String, t: i8, f: f64, style: Style, precision: usize) {
    let suffix = type_char(t).expect("float types have letters");
    if f.is_nan() {
        match style {
            Style::Cell => {}
            _ if t == KF => out.push_str("0n"),
            Style::Atom => out.push_str(&format!("0N{suffix}")),
            Style::InVector => out.push_str("0N"),
        }
        return;
    }
    if f.is_infinite() {
        if f < 0.0 {
            out.push('-');
        }
        // Reals share the float's `0w` (`0we + 5` prints `0we`); datetimes only as atoms.
        match (t, style) {
            (KF | KE, _) | (KZ, Style::Atom) => out.push_str("0w"),
            _ => out.push_str("0W"),
        }
        if style == Style::Atom && t != KF {
            out.push(suffix);
        }
        return;
    }
    if t == KZ {
        temporal::datetime(f, out);
        return;
    }
    let text = floats::general(f, precision);
    out.push_str(&text);
    if style == Style::Atom && (t == KE || floats::looks_integral(&text)) {
        out.push(suffix);
    }
}

fn int(out: &mut String, t: i8, i: i64, style: Style) {
    match t {
        KB => {
            out.push(if i != 0 { '1' } else { '0' });
            if style == Style::Atom {
                out.push('b');
            }
            return;
        }
        KG => {
            if style == Style::Atom {
                out.push_str("0x");
            }
            out.push_str(&format!("{:02x}", i as u8));
            return;
        }
        KC => {
            let c = i as u8;
            if style == Style::Cell {
                out.push_str(&String::from_utf8_lossy(&[c]));
            } else {
                out.push('"');
                super::strings::escape_byte(c, out);
                out.push('"');
            }
            return;
        }
        _ => {}
    }
    let (null, inf) = int_limits(t);
    let letter = if t == KJ { None } else { type_char(t) };
    if i == null || i == inf || i == -inf {
        if i == null && style == Style::Cell {
            return;
        }
        out.push_str(match i {
            _ if i == null => "0N",
            _ if i == inf => "0W",
            _ => "-0W",
        });
        if style == Style::Atom {
            out.extend(letter);
        }
        return;
    }
    match t {
        KH | KI | KJ => out.push_str(&i.to_string()),
        KM => temporal::month(i as i32, out),
        KD => temporal::date(i as i32, out),
        KU => temporal::minute(i as i32, out),
        KV => temporal::second(i as i32, out),
        KT => temporal::time(i as i32, out),
        KP => temporal::timestamp(i, out),
        KN => temporal::timespan(i, out),
        _ => out.push_str(&i.to_string()),
    }
    if style == Style::Atom && matches!(t, KH | KI | KM) {
        out.extend(letter);
    }
}

/// An atom of a simple type as the console shows it.
pub fn atom(x: &K, precision: usize) -> String {
    let mut out = String::new();
    write(&mut out, -x.t(), of_atom(x), Style::Atom, precision);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obj::temporal::ymd;

    fn show(x: K) -> String {
        atom(&x, 7)
    }

    #[test]
    fn numbers() {
        assert_eq!(show(K::bool(true)), "1b");
        assert_eq!(show(K::byte(0x2a)), "0x2a");
        assert_eq!(show(K::short(42)), "42h");
        assert_eq!(show(K::int(42)), "42i");
        assert_eq!(show(K::long(42)), "42");
        assert_eq!(show(K::long(-7)), "-7");
        assert_eq!(show(K::real(1.5)), "1.5e");
        assert_eq!(show(K::real(10.0)), "10e");
        assert_eq!(show(K::real(-7.9)), "-7.9e");
        assert_eq!(show(K::real(2.5)), "2.5e");
        assert_eq!(show(K::float(1.0)), "1f");
        assert_eq!(show(K::float(-1.0)), "-1f");
        assert_eq!(show(K::float(1.5)), "1.5");
        assert_eq!(show(K::float(1e10)), "1e+10");
        assert_eq!(show(K::float(12345678.0)), "1.234568e+07");
        assert_eq!(show(K::float(9223372036854775807.0)), "9.223372e+18");
        assert_eq!(show(K::float(300000.0)), "300000f");
    }

    #[test]
    fn nulls_and_infinities() {
        assert_eq!(show(K::short(NH)), "0Nh");
        assert_eq!(show(K::short(WH)), "0Wh");
        assert_eq!(show(K::short(-WH)), "-0Wh");
        assert_eq!(show(K::int(NI)), "0Ni");
        assert_eq!(show(K::int(-WI)), "-0Wi");
        assert_eq!(show(K::long(NJ)), "0N");
        assert_eq!(show(K::long(WJ)), "0W");
        assert_eq!(show(K::long(-WJ)), "-0W");
        assert_eq!(show(K::real(NE)), "0Ne");
        assert_eq!(show(K::real(WE)), "0we");
        assert_eq!(show(K::float(NF)), "0n");
        assert_eq!(show(K::float(WF)), "0w");
        assert_eq!(show(K::float(-WF)), "-0w");
        assert_eq!(show(K::atom_i64(-KP, NJ)), "0Np");
        assert_eq!(show(K::atom_i64(-KP, -WJ)), "-0Wp");
        assert_eq!(show(K::atom_i32(-KM, NI)), "0Nm");
        assert_eq!(show(K::atom_i32(-KD, NI)), "0Nd");
        assert_eq!(show(K::atom_i32(-KD, WI)), "0Wd");
        assert_eq!(show(K::atom_word(-KZ, NF.to_bits())), "0Nz");
        assert_eq!(show(K::atom_i64(-KN, NJ)), "0Nn");
        assert_eq!(show(K::atom_i32(-KU, NI)), "0Nu");
        assert_eq!(show(K::atom_i32(-KV, NI)), "0Nv");
        assert_eq!(show(K::atom_i32(-KT, NI)), "0Nt");
        assert_eq!(
            show(K::guid_atom(Guid([0; 16]))),
            "00000000-0000-0000-0000-000000000000"
        );
    }

    #[test]
    fn text_and_time() {
        assert_eq!(show(K::char(b'a')), "\"a\"");
        assert_eq!(show(K::char(b'\n')), "\"\\n\"");
        assert_eq!(show(K::char(b'"')), "\"\\\"\"");
        assert_eq!(show(K::sym(Sym::new("abc"))), "`abc");
        assert_eq!(show(K::sym(Sym::new("hello world"))), "`hello world");
        assert_eq!(show(K::sym(Sym::empty())), "`");
        assert_eq!(show(K::atom_i32(-KD, ymd(3001, 1, 1))), "3001.01.01");
        assert_eq!(show(K::atom_i32(-KM, 288)), "2024.01m");
        assert_eq!(show(K::atom_i32(-KU, 720)), "12:00");
        assert_eq!(show(K::atom_i32(-KV, 43200)), "12:00:00");
        assert_eq!(
            show(K::atom_i64(-KN, 43_200_000_000_000)),
            "0D12:00:00.000000000"
        );
        assert_eq!(show(K::atom_i32(-KT, 0)), "00:00:00.000");
        let g = Guid([
            0x8c, 0x68, 0x0a, 0x01, 0x5a, 0x49, 0x5a, 0xab, 0x5a, 0x65, 0xd4, 0xbf, 0xdd, 0xb6,
            0xa6, 0x61,
        ]);
        assert_eq!(
            show(K::guid_atom(g)),
            "8c680a01-5a49-5aab-5a65-d4bfddb6a661"
        );
    }
}
