//! The one-line text of any value: what `-3!` and `.Q.s1` return, and how the console writes
//! a value that sits inside a list it prints line by line.
//!
//! General lists are `(a;b)`, one item `,a`; dictionaries `k!v`, with the keys bracketed when
//! they would otherwise read differently; tables `+` of their column dictionary.

use super::{functions, items, vectors};
use crate::obj::*;

/// Appends the one-line text of `x`, giving up soon after `out` passes `limit` bytes (the
/// caller cuts the line there anyway).
pub fn write(x: &K, out: &mut String, limit: usize, precision: usize) {
    crate::q::eval::stack::guard();
    let t = x.t();
    match t {
        ERROR => {
            out.push('\'');
            out.push_str(&x.s().as_str());
        }
        _ if t < 0 => out.push_str(&items::atom(x, precision)),
        0 => list(x, out, limit, precision),
        1..=ENUM_LAST => vectors::write(x, out, limit, precision),
        XD => dict(x, out, limit, precision),
        XT => {
            out.push_str(vectors::attribute_prefix(x.attr()));
            out.push('+');
            write(x.table_dict(), out, limit, precision);
        }
        LAMBDA..=EACH_LEFT => functions::write(x, out, limit, precision),
        FOREIGN if crate::obj::code::rank(x).is_some() => out.push_str("code"),
        FOREIGN => out.push_str("foreign"),
        _ => out.push_str(&format!("<type {t}>")),
    }
}

/// The one-line text of `x`, whole.
pub fn text(x: &K, precision: usize) -> String {
    let mut out = String::new();
    write(x, &mut out, usize::MAX, precision);
    out
}

fn list(x: &K, out: &mut String, limit: usize, precision: usize) {
    out.push_str(vectors::attribute_prefix(x.attr()));
    match x.items() {
        [] => out.push_str("()"),
        [one] => {
            out.push(',');
            write(one, out, limit, precision);
        }
        all => write_separated(all, Enclosing::List, out, limit, precision),
    }
}

fn dict(x: &K, out: &mut String, limit: usize, precision: usize) {
    let [keys, values] = x.items() else {
        unreachable!("a dictionary has keys and values")
    };
    out.push_str(vectors::attribute_prefix(x.attr()));
    let bracket = needs_brackets(keys);
    if bracket {
        out.push('(');
    }
    write(keys, out, limit, precision);
    if bracket {
        out.push(')');
    }
    if out.len() > limit {
        return;
    }
    out.push('!');
    write(values, out, limit, precision);
}

/// Keys whose text would run into the `!` or change meaning without brackets: tables,
/// dictionaries, one-item lists (`(,`a)!,1`) and typed empties (`` (`symbol$())!() ``).
/// A sorted dictionary's `` `s# `` on its keys reads back as it is.
fn needs_brackets(keys: &K) -> bool {
    match keys.t() {
        XT | XD => true,
        t if t < 0 => false,
        KC => keys.n() == 1,
        0 => keys.n() == 1,
        _ => keys.n() <= 1,
    }
}

/// How `write_separated` encloses its items.
pub enum Enclosing {
    /// A general list: `(a;b)`.
    List,
    /// A projection's arguments: `[a;]`, an elided argument left empty.
    Arguments,
}

/// Items enclosed and separated by `;`, each in its one-line form; stops once `out` passes
/// `limit`.
pub fn write_separated(
    items: &[K],
    enclosing: Enclosing,
    out: &mut String,
    limit: usize,
    precision: usize,
) {
    let (open, close, skip_elided) = match enclosing {
        Enclosing::List => ('(', ')', false),
        Enclosing::Arguments => ('[', ']', true),
    };
    out.push(open);
    for (i, item) in items.iter().enumerate() {
        if out.len() > limit {
            return;
        }
        if i > 0 {
            out.push(';');
        }
        if !(skip_elided && super::functions::is_elided(item)) {
            write(item, out, limit, precision);
        }
    }
    out.push(close);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syms(names: &[&str]) -> K {
        K::from_slice(KS, &names.iter().map(Sym::new).collect::<Vec<_>>())
    }
    fn longs(v: &[i64]) -> K {
        K::from_slice(KJ, v)
    }
    fn s1(x: &K) -> String {
        text(x, 7)
    }

    #[test]
    fn general_lists() {
        assert_eq!(s1(&K::list(vec![])), "()");
        assert_eq!(s1(&K::list(vec![K::long(1)])), ",1");
        assert_eq!(s1(&K::list(vec![longs(&[1, 2])])), ",1 2");
        let l = K::list(vec![longs(&[1, 2, 3]), longs(&[4, 5, 6, 7])]);
        assert_eq!(s1(&l), "(1 2 3;4 5 6 7)");
        let l = K::list(vec![K::string("current secondary threads"), K::int(0)]);
        assert_eq!(s1(&l), "(\"current secondary threads\";0i)");
        let l = K::list(vec![K::string("a"), K::string("b")]);
        assert_eq!(s1(&l), "(,\"a\";,\"b\")");
        let inner = K::list(vec![K::list(vec![K::long(1)])]);
        assert_eq!(s1(&K::list(vec![inner])), ",,,1");
        let f1 = K::list(vec![K::sym(Sym::new("f")), K::long(1)]);
        let f2 = K::list(vec![K::sym(Sym::new("f")), f1]);
        assert_eq!(s1(&f2), "(`f;(`f;1))");
        let l = K::list(vec![K::from_slice(KB, &[1u8, 1, 0]), K::bool(false)]);
        assert_eq!(s1(&l), "(110b;0b)");
    }

    #[test]
    fn dictionaries() {
        assert_eq!(s1(&K::dict(syms(&["a", "b"]), longs(&[1, 2]))), "`a`b!1 2");
        assert_eq!(s1(&K::dict(syms(&["a"]), syms(&["t"]))), "(,`a)!,`t");
        let d = K::dict(
            syms(&["x"]),
            K::list(vec![K::list(vec![
                K::atom_word(UNARY, 13),
                K::sym(Sym::new("i")),
            ])]),
        );
        assert_eq!(s1(&d), "(,`x)!,(#:;`i)");
        assert_eq!(s1(&K::dict(K::list(vec![]), K::list(vec![]))), "()!()");
    }

    #[test]
    fn tables() {
        let cols = K::list(vec![syms(&["p1", "p2"]), syms(&["london", "paris"])]);
        let t = K::table(K::dict(syms(&["p", "city"]), cols));
        assert_eq!(s1(&t), "+`p`city!(`p1`p2;`london`paris)");
        let mut colour = syms(&["blue", "green", "red"]);
        colour.set_attr(ATTR_SORTED);
        let mut key = K::table(K::dict(syms(&["color"]), K::list(vec![colour])));
        key.set_attr(ATTR_SORTED);
        let val = K::table(K::dict(
            syms(&["qty"]),
            K::list(vec![longs(&[900, 1000, 1200])]),
        ));
        assert_eq!(
            s1(&K::dict(key, val)),
            "(`s#+(,`color)!,`s#`blue`green`red)!+(,`qty)!,900 1000 1200"
        );
        let empty = K::list(vec![
            K::vector(KD, 0),
            K::vector(KS, 0),
            K::vector(KT, 0),
            K::vector(KJ, 0),
        ]);
        let t = K::table(K::dict(syms(&["date", "sym", "time", "num"]), empty));
        assert_eq!(
            s1(&t),
            "+`date`sym`time`num!(`date$();`symbol$();`time$();`long$())"
        );
    }
}
