//! The `.Q` utilities the interpreter provides itself: encodings (`.Q.x10 .Q.j10 .Q.x12
//! .Q.j12 .Q.btoa .Q.atob .Q.sha1`), number formatting (`.Q.f .Q.fmt`), `.Q.addmonths`, `.Q.id`,
//! `.Q.ty`, addresses (`.Q.addr .Q.host`), running functions (`.Q.ts .Q.trp .Q.trpd`), the
//! ones kdb+ writes in q (`.Q.opt .Q.def .Q.ff .Q.ft .Q.fu .Q.qt ...`, as lambdas), and the
//! `.Q` constants; `.Q.prf0` is 'nyi (why: at its lambda).

use crate::obj::temporal::{civil, ymd};
use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::q::eval::values::*;

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B36: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Reserved words `.Q.id` avoids.
pub const RES: &[&str] = &[
    "abs", "acos", "asin", "atan", "avg", "bin", "binr", "cor", "cos", "cov", "delete", "dev",
    "div", "do", "enlist", "exec", "exit", "exp", "getenv", "hopen", "if", "in", "insert", "last",
    "like", "log", "max", "min", "prd", "select", "setenv", "sin", "sqrt", "ss", "sum", "tan",
    "update", "var", "wavg", "while", "within", "wsum", "xexp",
];

/// `.Q` functions written in q.
const LAMBDAS: &[(&str, &str)] = &[
    // Command-line options: `-name value...` as a dictionary of the strings after each.
    // What comes before the first option is left in .Q.x.
    (".Q.opt", "{[o]i:where o like\"-[^0-9]*\";.Q.x::$[count i;(first i)#o;o];$[count i;(`$1_'o i)!1_'i _ o;()!()]}"),
    // Defaults d overridden by options x, parsed to the defaults' types.
    (".Q.def", "{[d;x]k:key[d]inter key x;d,k!{$[10h=type x;\" \"sv y;-11h=type x;`$first y;(upper .Q.t abs type x)$first y]}'[d k;x k]}"),
    // Table x with y's columns that it lacks, as nulls.
    (".Q.ff", "{[x;y]n:cols[y]except cols x;$[count n;x,'flip n!{y#first 0#x}[;count x]each y n;x]}"),
    // f on (\s) parts of x in peach, joined; f x itself with no secondary threads.
    (".Q.fc", "{[f;x]$[(1<n:\"j\"$abs system\"s\")&1<count x;raze f peach(n;0N)#x;f x]}"),
    (".Q.fu", "{[f;x](f u)(u:distinct x)?x}"),
    (".Q.qt", "{$[98h=t:type x;1b;99h=t;98h=type key x;0b]}"),
    (".Q.v", "{$[-11h=type x;value x;x]}"),
    // A table (by value or name) as a dictionary of its columns, keys included.
    (".Q.V", "{flip 0!.Q.v x}"),
    (".Q.ft", "{[f;t]$[99h=type t;(keys t)xkey f 0!t;f t]}"),
    (".Q.w", "{`used`heap`peak`wmax`mmap`mphy`syms`symw!(system\"w\"),system\"w 0\"}"),
    // The call stack of another q process (kb/profiler.md): kdb+ stops the process with ptrace
    // and reads its interpreter's frames out of its memory, which needs the same binary. Our
    // evaluator keeps its frames in Rust values with no layout another process could read, and
    // a snapshot the target writes itself would not be taken while it is stopped: 'nyi.
    (".Q.prf0", "{[pid]if[not(type pid)in -6 -7h;'`type];'`nyi}"),
    // Partitioned (1b), splayed (0b), or neither (0).
    (".Q.qp", "{$[not 98h=type x;0;0>type x:value flip x;not\":\"=first string x;0]}"),
];

/// The value of a `.Q` function written in q.
pub fn lambda_value(name: &str) -> Option<K> {
    LAMBDAS
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, src)| crate::q::keywords::builtins::q_lambda(src))
}

pub fn constant(name: &str) -> Option<K> {
    if let Some(f) = lambda_value(name) {
        return Some(f);
    }
    Some(match name {
        ".Q.an" => K::string("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"),
        ".Q.t" => K::string(" bg xhijefcspmdznuvts"),
        ".Q.b6" => K::string(B64),
        ".Q.K" => K::atom_i32(A_KD, ymd(2020, 10, 2)),
        ".Q.k" => K::float(4.0),
        // The arguments before the first option, once .Q.opt has run.
        ".Q.x" => K::list(Vec::new()),
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

pub fn base64(bytes: &[u8]) -> String {
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
    // kdb+ keeps the sign of a negative number that rounds to zero ("-0.00").
    let sign = if x < 0.0 { "-" } else { "" };
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
    if RES.contains(&t.as_str()) || crate::q::eval::verbs::is_keyword(&t) {
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
            // `.Q.dd[`AAPL;"O"]`: names joined with a dot, or a path's with a slash.
            let part = |k: &K| -> Result<String> {
                Ok(match k.t() {
                    A_KS => k.s().as_str().into_owned(),
                    KC => String::from_utf8_lossy(k.bytes()).into_owned(),
                    A_KC => (k.g() as char).to_string(),
                    _ => crate::q::fmt::text1(k),
                })
            };
            // As `` ` sv ``: a file symbol's parts join with `/` (`.Q.dd[`:dir]`file`).
            (|| {
                let x = part(x)?;
                let sep = if x.starts_with(':') { '/' } else { '.' };
                Ok(K::sym(Sym::new(format!("{x}{sep}{}", part(y)?))))
            })()
        }
        // Unused slabs of 64 MB and more that the allocator kept for reuse go back to the system.
        // The lines of a script as `\l` groups them: (first lines; texts).
        (".Q.ld", [x]) => (|| {
            let lines: Vec<&[u8]> = match x.t() {
                0 => x
                    .items()
                    .iter()
                    .map(|l| match l.t() {
                        KC => Ok(l.bytes()),
                        _ => Err(Error::type_()),
                    })
                    .collect::<Result<_>>()?,
                KC => vec![x.bytes()],
                _ => return Err(Error::type_()),
            };
            let groups = crate::q::lang::script::load_groups(&lines);
            let starts: Vec<i64> = groups.iter().map(|(l, _)| *l as i64).collect();
            Ok(K::list(vec![
                K::from_slice(KJ, &starts),
                K::list(groups.into_iter().map(|(_, s)| K::string(s)).collect()),
            ]))
        })(),
        (".Q.gc", [_]) => Ok(K::long(
            crate::obj::alloc::release_cached_from(64 << 20) as i64
        )),
        (".Q.ty", [x]) => {
            let letter = |t: i8| {
                b" bg xhijefcspmdznuvts"
                    .get(t.unsigned_abs() as usize)
                    .copied()
                    .unwrap_or(b' ')
            };
            let t = x.t();
            // A list of vectors of one type is that type in upper case.
            let nested = if t == 0 && x.n() > 0 {
                x.items()
                    .first()
                    .map(|i| i.t())
                    .filter(|&u| u > 0 && u < 20 && x.items().iter().all(|i| i.t() == u))
            } else {
                None
            };
            Ok(K::char(match nested {
                Some(u) => letter(u).to_ascii_uppercase(),
                None if t == 0 => b' ',
                None if t > 0 => letter(t).to_ascii_lowercase(),
                None => letter(t).to_ascii_uppercase(),
            }))
        }
        (".Q.hg", [x]) => super::http::get(x),
        (".Q.hp", [x, y, z]) => super::http::post(x, y, z),
        (".Q.gz", [x]) => super::http::gz(x),
        // kdb+ defines it as -33!.
        (".Q.sha1", [x]) => crate::q::prims::sha1::sha1(x.clone()),
        (".Q.addr", [x]) => match x.t() {
            A_KS | KC => crate::q::keywords::builtins::text_of(x).map(|h| K::int(address(&h))),
            _ => Err(Error::type_()),
        },
        (".Q.host", [x]) => match x.t() {
            A_KI => Ok(K::sym(host_name(x.i()))),
            KI => Ok(K::from_slice(
                KS,
                &x.as_slice::<i32>()
                    .iter()
                    .map(|a| host_name(*a))
                    .collect::<Vec<_>>(),
            )),
            _ => Err(Error::type_()),
        },
        _ => return None,
    })
}

/// `.Q.addr`: a host's IPv4 address as an int (host byte order); -1 when it does not resolve.
fn address(host: &str) -> i32 {
    use std::net::{Ipv4Addr, SocketAddr, ToSocketAddrs};
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return u32::from(ip) as i32;
    }
    let found = (host, 0u16).to_socket_addrs().ok().and_then(|mut a| {
        a.find_map(|s| match s {
            SocketAddr::V4(v4) => Some(*v4.ip()),
            SocketAddr::V6(_) => None,
        })
    });
    found.map_or(-1, |ip| u32::from(ip) as i32)
}

/// `.Q.host`: the name the hosts file gives an IPv4 address (an int), or the empty symbol.
fn host_name(addr: i32) -> Sym {
    let ip = std::net::Ipv4Addr::from(addr as u32);
    let hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    for line in hosts.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        if words
            .next()
            .and_then(|a| a.parse::<std::net::Ipv4Addr>().ok())
            == Some(ip)
        {
            if let Some(name) = words.next() {
                return Sym::new(name);
            }
        }
    }
    Sym::empty()
}

/// The `.Q` functions that run other functions: `.Q.ts`, `.Q.trp`, `.Q.trpd`, `.Q.sbt`.
pub fn call_in(cx: &mut crate::q::eval::Ctx, name: &str, args: &[K]) -> Option<Result<K>> {
    use crate::q::eval::apply::apply;
    let spread = |x: &K| {
        if x.is_atom() {
            vec![x.clone()]
        } else {
            items_of(x)
        }
    };
    Some(match (name, args) {
        (".Q.ts", [f, x]) => {
            let base = crate::obj::usage::mark();
            let start = std::time::Instant::now();
            apply(cx, f.clone(), spread(x)).map(|r| {
                let ms = start.elapsed().as_millis() as i64;
                let bytes = crate::obj::usage::peak_since(base);
                K::list(vec![K::from_slice(KJ, &[ms, bytes]), r])
            })
        }
        // The table a foreign-key column keys into (` for any other column).
        (".Q.fk", [x]) => Ok(K::sym(
            crate::q::keywords::enums::foreign_domain(x).unwrap_or_else(Sym::empty),
        )),
        (".Q.trp", [f, x, h]) => trapped(cx, f, vec![x.clone()], h),
        (".Q.trpd", [f, x, h]) => {
            let a = spread(x);
            trapped(cx, f, a, h)
        }
        (".Q.sbt", [x]) => crate::q::eval::debug::backtrace_string(x).map(K::string),
        (".Q.bt", [_]) => {
            let text = cx.backtrace_text();
            cx.eng.emit_raw(text.as_bytes());
            Ok(K::identity())
        }
        _ => return None,
    })
}

/// `f` applied to `args`; on an error, `h[message;backtrace]` with the backtrace taken where
/// the error arose.
fn trapped(cx: &mut crate::q::eval::Ctx, f: &K, args: Vec<K>, h: &K) -> Result<K> {
    let frames = cx.frames.len();
    cx.debug.traps += 1;
    let texts = cx.debug.texts.len();
    cx.debug.trp_depths.push((cx.levels() - 1, texts));
    let outer = cx.debug.captured.take();
    let r = crate::q::eval::apply::apply(cx, f.clone(), args);
    cx.debug.trp_depths.pop();
    cx.debug.traps -= 1;
    let bt = std::mem::replace(&mut cx.debug.captured, outer);
    match r {
        Ok(v) => Ok(v),
        Err(e) => {
            cx.frames.truncate(frames);
            cx.debug.texts.truncate(texts);
            let msg = K::string(e.msg().as_bytes());
            let bt = bt.unwrap_or_else(|| cx.backtrace_value());
            crate::q::eval::apply::apply(cx, h.clone(), vec![msg, bt])
        }
    }
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
        assert_eq!(fixed(2, -0.0001), "-0.00");
        assert_eq!(address("127.0.0.1"), 2130706433);
    }
}
