//! The `string` keyword: an atom becomes the chars of its bare text (`string 42` is `,"42"`,
//! `` string `ibm `` is `"ibm"`, a null is `""`); lists, dictionary values and table columns
//! are converted item by item; a function becomes its text.

use super::items::{self, Style};
use super::oneline;
use crate::obj::*;
use crate::q::eval::stop;

/// `string x` under `\P` precision `precision` (0 means 17 digits).
pub fn string(x: K, precision: usize) -> Result<K> {
    crate::q::eval::stack::guard();
    let t = x.t();
    Ok(match t {
        ERROR => return Err(Error::type_()),
        _ if t == -KC => K::string([x.g()]),
        _ if t == -KS => K::string(x.s().as_bytes()),
        _ if t < 0 => K::string(cell_text(-t, items::of_atom(&x), precision)),
        // Long lists check for 'stop as they go (eval::stop).
        0 => K::list(stop::try_map(x.items(), |k| string(k.clone(), precision))?),
        KC => K::list(stop::map(x.as_slice::<u8>(), |&c| K::string([c]))?),
        KS => K::list(stop::map(x.as_slice::<Sym>(), |s| K::string(s.as_bytes()))?),
        1..=ENUM_LAST => K::list(stop::collect(x.n(), |i| {
            K::string(cell_text(t, items::at(&x, i), precision))
        })?),
        XD => {
            let [keys, values] = x.items() else {
                unreachable!("a dictionary has keys and values")
            };
            if keys.t() == XT {
                K::dict(
                    string(keys.clone(), precision)?,
                    string(values.clone(), precision)?,
                )
            } else {
                K::dict(keys.clone(), string(values.clone(), precision)?)
            }
        }
        XT => K::table(string(x.table_dict().clone(), precision)?),
        // A lambda is its source as written, byte for byte (it need not be UTF-8).
        LAMBDA if x.items().first().is_some_and(|s| s.t() == KC) => x.items()[0].clone(),
        _ => K::string(oneline::text(&x, precision)),
    })
}

fn cell_text(t: i8, v: items::Value, precision: usize) -> String {
    let mut s = String::new();
    items::write(&mut s, t, v, Style::Cell, precision);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::q::fmt::{console, Options};

    fn show(x: K) -> String {
        console(&string(x, 7).unwrap(), &Options::default())
    }

    #[test]
    fn atoms() {
        assert_eq!(show(K::sym(Sym::new("ibm"))), "\"ibm\"");
        assert_eq!(show(K::long(2)), ",\"2\"");
        assert_eq!(show(K::long(42)), "\"42\"");
        assert_eq!(show(K::float(1.0)), ",\"1\"");
        assert_eq!(show(K::float(1.5)), "\"1.5\"");
        assert_eq!(show(K::int(7)), ",\"7\"");
        assert_eq!(show(K::char(b'a')), ",\"a\"");
        assert_eq!(show(K::byte(0x2a)), "\"2a\"");
        assert_eq!(show(K::long(NJ)), "\"\"");
    }

    #[test]
    fn lists_dicts_tables() {
        assert_eq!(show(K::string("cat")), ",\"c\"\n,\"a\"\n,\"t\"");
        let l = K::list(vec![K::from_slice(KJ, &[2i64, 3]), K::string("abc")]);
        assert_eq!(show(l), "(,\"2\";,\"3\")\n(,\"a\";,\"b\";,\"c\")");
        let syms = |v: &[&str]| K::from_slice(KS, &v.iter().map(Sym::new).collect::<Vec<_>>());
        let d = K::dict(
            syms(&["a", "b", "c"]),
            K::from_slice(KJ, &[2002i64, 2004, 2010]),
        );
        assert_eq!(show(d), "a| \"2002\"\nb| \"2004\"\nc| \"2010\"");
        let t = K::table(K::dict(
            syms(&["a", "b"]),
            K::list(vec![
                K::from_slice(KJ, &[1i64, 2, 3]),
                syms(&["ibm", "goog", "aapl"]),
            ]),
        ));
        let text = show(t);
        let trimmed: Vec<_> = text.lines().map(str::trim_end).collect();
        assert_eq!(
            trimmed.join("\n"),
            "a    b\n-----------\n,\"1\" \"ibm\"\n,\"2\" \"goog\"\n,\"3\" \"aapl\""
        );
    }

    #[test]
    fn precision() {
        let third = string(K::float(1.0 / 3.0), 3).unwrap();
        assert_eq!(third.as_slice::<u8>(), b"0.333");
    }

    #[test]
    fn functions() {
        let f = K::list_of_type(LAMBDA, vec![K::string("{x*x}"), K::sym(Sym::empty())]);
        assert_eq!(show(f), "\"{x*x}\"");
        let over = K::list_of_type(OVER, vec![K::atom_word(BINARY, 1)]);
        assert_eq!(show(over), "\"+/\"");
    }
}
