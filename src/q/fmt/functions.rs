//! Functions as q writes them: lambdas by their source text, primitives by glyph (`+`, `-:`,
//! `::`), projections as the function then its arguments with elided ones empty (`{x+y}[1]`,
//! `+[;1]`), compositions as their parts in order, iterator-derived functions as the function
//! then the iterator (`+/`, `{x}'`).

use super::{glyphs, oneline};
use crate::obj::*;

/// Appends the text of function `x` (types 100..=111).
pub fn write(x: &K, out: &mut String, limit: usize, precision: usize) {
    match x.t() {
        LAMBDA => lambda(x, out),
        UNARY | BINARY | TERNARY => out.push_str(&glyphs::primitive(x.t(), x.g())),
        PROJECTION => {
            let [f, args @ ..] = x.items() else { return };
            oneline::write(f, out, limit, precision);
            oneline::write_separated(args, oneline::Enclosing::Arguments, out, limit, precision);
        }
        COMPOSITION => {
            // A unary primitive before another function drops its colon, as k reads `~~':`
            // (`differ` is `$["b"]` then `~~':`).
            let parts = x.items();
            for (i, f) in parts.iter().enumerate() {
                if f.t() == UNARY && i + 1 < parts.len() && (1..=19).contains(&f.g()) {
                    out.push_str(glyphs::primitive(BINARY, f.g()).as_str());
                } else {
                    oneline::write(f, out, limit, precision);
                }
            }
        }
        t => {
            if let Some(f) = x.items().first() {
                oneline::write(f, out, limit, precision);
            }
            out.push_str(glyphs::iterator(t));
        }
    }
}

/// A lambda's source text is its item 0, exactly as written.
fn lambda(x: &K, out: &mut String) {
    match x.items().first() {
        Some(src) if src.t() == KC => out.push_str(&String::from_utf8_lossy(src.as_slice::<u8>())),
        Some(src) if src.t() == -KC => out.push(src.g() as char),
        _ => out.push_str("{}"),
    }
}

/// The hole in a projection such as `+[;1]`.
pub fn is_elided(x: &K) -> bool {
    x.t() == UNARY && x.g() == glyphs::ELIDED
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lambda(src: &str) -> K {
        K::list_of_type(LAMBDA, vec![K::string(src), K::sym(Sym::empty())])
    }
    fn prim(t: i8, code: u8) -> K {
        K::atom_word(t, code as u64)
    }
    fn text(x: &K) -> String {
        oneline::text(x, 7)
    }
    fn elided() -> K {
        prim(UNARY, glyphs::ELIDED)
    }

    #[test]
    fn lambdas_and_primitives() {
        assert_eq!(text(&lambda("{x*x}")), "{x*x}");
        assert_eq!(text(&lambda("{[x;y] x+y}")), "{[x;y] x+y}");
        assert_eq!(text(&prim(BINARY, 1)), "+");
        assert_eq!(text(&prim(UNARY, 1)), "+:");
        assert_eq!(text(&prim(UNARY, 0)), "::");
        assert_eq!(text(&prim(BINARY, 23)), "in");
    }

    #[test]
    fn projections() {
        let p = K::list_of_type(PROJECTION, vec![lambda("{x+y}"), K::long(1)]);
        assert_eq!(text(&p), "{x+y}[1]");
        let p = K::list_of_type(PROJECTION, vec![prim(BINARY, 1), K::long(1)]);
        assert_eq!(text(&p), "+[1]");
        let p = K::list_of_type(PROJECTION, vec![prim(BINARY, 1), elided(), K::long(1)]);
        assert_eq!(text(&p), "+[;1]");
        let p = K::list_of_type(
            PROJECTION,
            vec![
                lambda("{x+y+z}"),
                K::long(1),
                elided(),
                K::from_slice(KJ, &[2i64, 3]),
            ],
        );
        assert_eq!(text(&p), "{x+y+z}[1;;2 3]");
    }

    #[test]
    fn derived_and_composed() {
        let over = K::list_of_type(OVER, vec![prim(BINARY, 1)]);
        assert_eq!(text(&over), "+/");
        let each = K::list_of_type(EACH, vec![lambda("{x}")]);
        assert_eq!(text(&each), "{x}'");
        let each_right = K::list_of_type(EACH_RIGHT, vec![prim(BINARY, 12)]);
        assert_eq!(text(&each_right), ",/:");
        let scan_each = K::list_of_type(
            SCAN,
            vec![K::list_of_type(EACH_PRIOR, vec![prim(BINARY, 2)])],
        );
        assert_eq!(text(&scan_each), "-':\\");
        let comp = K::list_of_type(COMPOSITION, vec![lambda("{x+1}"), lambda("{x*2}")]);
        assert_eq!(text(&comp), "{x+1}{x*2}");
        // value differ (ref/value.md): `$["b"]` and `~~':`
        let match_prior = K::list_of_type(EACH_PRIOR, vec![prim(BINARY, 15)]);
        let not_match_prior = K::list_of_type(COMPOSITION, vec![prim(UNARY, 15), match_prior]);
        assert_eq!(text(&not_match_prior), "~~':");
        let cast_b = K::list_of_type(PROJECTION, vec![prim(BINARY, 11), K::char(b'b')]);
        assert_eq!(text(&cast_b), "$[\"b\"]");
        let differ = K::list_of_type(COMPOSITION, vec![cast_b, not_match_prior]);
        assert_eq!(text(&differ), "$[\"b\"]~~':");
        // deltas (ref/deltas.md)
        assert_eq!(
            text(&K::list_of_type(EACH_PRIOR, vec![prim(BINARY, 2)])),
            "-':"
        );
    }
}
