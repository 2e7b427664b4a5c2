//! The `.Q` utilities the interpreter provides itself: encodings (`.Q.x10 .Q.j10 .Q.x12
//! .Q.j12 .Q.btoa .Q.atob`), number formatting (`.Q.f .Q.fmt`), `.Q.addmonths`, `.Q.id`,
//! `.Q.ty`, and the `.Q` constants.

use super::atoms::*;
use super::values::*;
use crate::obj::temporal::{civil, ymd};
use crate::obj::*;

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B36: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Reserved words `.Q.id` avoids.
pub const RES: &[&str] = &[
    "abs", "acos", "asin", "atan", "avg", "bin", "binr", "cor", "cos", "cov", "delete", "dev",
    "div", "do", "enlist", "exec", "exit", "exp", "getenv", "hopen", "if", "in", "insert", "last",
    "like", "log", "max", "min", "prd", "select", "setenv", "sin", "sqrt", "ss", "sum", "tan",
    "update", "var", "wavg", "while", "within", "wsum", "xexp",
];

pub fn constant(name: &str) -> Option<K> {
    Some(match name {
        ".Q.an" => K::string("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"),
        ".Q.t" => K::string(" bg xhijefcspmdznuvts"),
        ".Q.b6" => K::string(B64),
        ".Q.K" => K::atom_i32(A_KD, ymd(2020, 10, 2)),
        ".Q.k" => K::float(4.0),
        ".Q.res" => K::from_slice(KS, &RES.iter().map(Sym::new).collect::<Vec<_>>()),
        ".Q.M" => K::long(WJ),
        _ => return None,
    })
}

fn encode(mut v: i64, width: usize, digits: &[u8]) -> K {
    let base = digits.len() as i64;
    let mut out = vec![digits[0]; width];
    for k in (0..width).rev() {
        out[k] = digits[v.rem_euclid(base) as usize];
        v = v.div_euclid(base);
    }
    K::string(out)
}

fn decode(s: &K, digits: &[u8]) -> Result<K> {
    if s.t() != KC {
        return Err(Error::type_());
    }
    let base = digits.len() as i64;
    let mut v: i64 = 0;
    for c in s.bytes() {
        let d = digits
            .iter()
            .position(|x| x == c)
            .ok_or_else(Error::domain)? as i64;
        v = v.wrapping_mul(base).wrapping_add(d);
    }
    Ok(K::long(v))
}

fn each_atom(x: &K, f: &dyn Fn(&K) -> Result<K>) -> Result<K> {
    if x.is_atom() {
        return f(x);
    }
    let out: Vec<K> = items_of(x).iter().map(f).collect::<Result<_>>()?;
    Ok(K::list(out))
}

fn base64(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64(s: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in s {
        if c == b'=' {
            break;
        }
        let d = B64.iter().position(|x| *x == c).ok_or_else(Error::domain)? as u32;
        acc = acc << 6 | d;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Ok(out)
}

fn float_of(x: &K) -> Result<f64> {
    Ok(match x.t() {
        A_KF => x.f(),
        A_KE => x.e() as f64,
        _ => as_long(x).ok_or_else(Error::type_)? as f64,
    })
}

/// `.Q.f[d;x]`: x with d decimals, rounded half up.
fn fixed(d: i64, x: f64) -> String {
    let d = d.clamp(0, 40);
    if x.is_nan() {
        return String::new();
    }
    let scale = 10f64.powi(d as i32);
    let v = (x.abs() * scale + 0.5 + 1e-9).floor();
    let digits = format!("{v:.0}");
    let d = d.max(0) as usize;
    let digits = if digits.len() <= d {
        format!("{}{}", "0".repeat(d + 1 - digits.len()), digits)
    } else {
        digits
    };
    let (int, frac) = digits.split_at(digits.len() - d);
    let sign = if x < 0.0 && v != 0.0 { "-" } else { "" };
    if d == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

fn id(s: Sym) -> Sym {
    let mut t: String = s
        .as_str()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if t.is_empty() || t.starts_with(|c: char| c.is_ascii_digit() || c == '_') {
        t.insert(0, 'a');
    }
    if RES.contains(&t.as_str()) || super::verbs::is_keyword(&t) {
        t.push('1');
    }
    Sym::new(t)
}

pub fn call(name: &str, args: &[K]) -> Option<Result<K>> {
    Some(match (name, args) {
        (".Q.x10", [x]) => each_atom(x, &|v| {
            Ok(encode(as_long(v).ok_or_else(Error::type_)?, 10, B64))
        }),
        (".Q.x12", [x]) => each_atom(x, &|v| {
            Ok(encode(as_long(v).ok_or_else(Error::type_)?, 12, B36))
        }),
        (".Q.j10", [x]) => {
            if x.t() == 0 {
                each_atom(x, &|v| decode(v, B64)).map(|l| collapse(items_of(&l)))
            } else {
                decode(x, B64)
            }
        }
        (".Q.j12", [x]) => {
            if x.t() == 0 {
                each_atom(x, &|v| decode(v, B36)).map(|l| collapse(items_of(&l)))
            } else {
                decode(x, B36)
            }
        }
        (".Q.btoa", [x]) if x.t() == KC || x.t() == KG => Ok(K::string(base64(x.bytes()))),
        (".Q.atob", [x]) if x.t() == KC => unbase64(x.bytes()).map(K::string),
        (".Q.f", [d, x]) => {
            let d = as_long(d).ok_or_else(Error::type_);
            d.and_then(|d| {
                if x.is_atom() {
                    Ok(K::string(fixed(d, float_of(x)?)))
                } else {
                    Ok(K::list(
                        items_of(x)
                            .iter()
                            .map(|v| float_of(v).map(|f| K::string(fixed(d, f))))
                            .collect::<Result<_>>()?,
                    ))
                }
            })
        }
        (".Q.fmt", [w, d, x]) => (|| {
            let (w, d) = (
                as_long(w).ok_or_else(Error::type_)?,
                as_long(d).ok_or_else(Error::type_)?,
            );
            // Widths and decimals come from the caller: bound them before allocating.
            if !(0..=1 << 20).contains(&w) || !(0..=40).contains(&d) {
                return Err(Error::new("limit"));
            }
            let w = w as usize;
            let one = |v: &K| -> Result<K> {
                let s = fixed(d, float_of(v)?);
                Ok(K::string(if s.len() > w {
                    "*".repeat(w)
                } else {
                    format!("{s:>w$}")
                }))
            };
            if x.is_atom() {
                one(x)
            } else {
                Ok(K::list(items_of(x).iter().map(one).collect::<Result<_>>()?))
            }
        })(),
        (".Q.addmonths", [d, n]) => (|| {
            let add = |day: i32, m: i64| -> i32 {
                let (y, mo, dd) = civil(day);
                let total = y as i64 * 12 + (mo as i64 - 1) + m;
                ymd(
                    total.div_euclid(12) as i32,
                    (total.rem_euclid(12) + 1) as i32,
                    1,
                ) + dd
                    - 1
            };
            let days: Vec<i32> = match d.t() {
                A_KD => vec![d.i()],
                KD => d.as_slice::<i32>().to_vec(),
                _ => return Err(Error::type_()),
            };
            let ns = if n.is_atom() {
                vec![as_long(n).ok_or_else(Error::type_)?]
            } else {
                as_longs(n).ok_or_else(Error::type_)?
            };
            let len = days.len().max(ns.len());
            if days.len() != ns.len() && days.len() != 1 && ns.len() != 1 {
                return Err(Error::length());
            }
            let out: Vec<i32> = (0..len)
                .map(|k| add(days[k.min(days.len() - 1)], ns[k.min(ns.len() - 1)]))
                .collect();
            Ok(if d.is_atom() && n.is_atom() {
                K::atom_i32(A_KD, out[0])
            } else {
                K::from_slice(KD, &out)
            })
        })(),
        (".Q.id", [x]) => match x.t() {
            A_KS => Ok(K::sym(id(x.s()))),
            KS => Ok(K::from_slice(
                KS,
                &x.as_slice::<Sym>()
                    .iter()
                    .map(|s| id(*s))
                    .collect::<Vec<_>>(),
            )),
            XD => {
                let keys = syms(&x.items()[0]);
                match keys {
                    Some(k) => Ok(K::dict(
                        K::from_slice(KS, &k.into_iter().map(id).collect::<Vec<_>>()),
                        x.items()[1].clone(),
                    )),
                    None => Ok(x.clone()),
                }
            }
            XT => {
                let d = x.table_dict();
                let k = syms(&d.items()[0]).unwrap_or_default();
                let mut seen: Vec<Sym> = Vec::new();
                let names: Vec<Sym> = k
                    .into_iter()
                    .map(|s| {
                        let mut n = id(s);
                        let mut i = 1;
                        while seen.contains(&n) {
                            n = Sym::new(format!("{}{}", id(s).as_str(), i));
                            i += 1;
                        }
                        seen.push(n);
                        n
                    })
                    .collect();
                table::table_from_dict(K::dict(K::from_slice(KS, &names), d.items()[1].clone()))
            }
            _ => Err(Error::type_()),
        },
        (".Q.dd", [x, y]) => {
            // `.Q.dd[`AAPL;"O"]`: names joined with a dot.
            let part = |k: &K| -> Result<String> {
                Ok(match k.t() {
                    A_KS => k.s().as_str().into_owned(),
                    KC => String::from_utf8_lossy(k.bytes()).into_owned(),
                    A_KC => (k.g() as char).to_string(),
                    _ => super::fmt::text1(k),
                })
            };
            (|| Ok(K::sym(Sym::new(format!("{}.{}", part(x)?, part(y)?)))))()
        }
        (".Q.gc", [_]) => Ok(K::long(0)),
        (".Q.ty", [x]) => {
            let t = x.t();
            let code = b" bg xhijefcspmdznuvts"
                .get(t.unsigned_abs() as usize)
                .copied()
                .unwrap_or(b' ');
            Ok(K::char(if t > 0 {
                code.to_ascii_lowercase()
            } else {
                code.to_ascii_uppercase()
            }))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_and_formats() {
        assert_eq!(encode(12345, 10, B64).bytes(), b"AAAAAAADA5");
        assert_eq!(encode(12345, 12, B36).bytes(), b"0000000009IX");
        assert_eq!(base64(b"Hello World!"), "SGVsbG8gV29ybGQh");
        assert_eq!(unbase64(b"aGVsbG8=").unwrap(), b"hello");
        assert_eq!(fixed(2, 0.045), "0.05");
        assert_eq!(fixed(2, -1234578.5522), "-1234578.55");
    }
}
