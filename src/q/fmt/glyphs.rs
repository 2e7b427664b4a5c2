//! Display names of primitives by kdb+'s own codes (the `g` byte of types 101, 102, 103).
//!
//! The primitives helper owns the table of what each code does; this private copy of the
//! names serves only printing, so formatting does not depend on the primitives being built.

/// Unary primitives (type 101): `::` then the monadic forms of the glyphs, written `+:`.
const UNARY: [&str; 23] = [
    "::", "+:", "-:", "*:", "%:", "&:", "|:", "^:", "=:", "<:", ">:", "$:", ",:", "#:", "_:", "~:", "!:", "?:",
    "@:", ".:", "0::", "1::", "2::",
];

/// Binary primitives (type 102).
const BINARY: [&str; 37] = [
    ":", "+", "-", "*", "%", "&", "|", "^", "=", "<", ">", "$", ",", "#", "_", "~", "!", "?", "@", ".", "0:",
    "1:", "2:", "in", "within", "like", "bin", "ss", "insert", "wsum", "wavg", "div", "xexp", "setenv", "binr",
    "cov", "cor",
];

/// Iterators as values (type 103).
const ITERATORS: [&str; 6] = ["'", "/", "\\", "':", "/:", "\\:"];

/// The code that marks an elided argument of a projection (a 101 atom).
pub const ELIDED: u8 = 255;

/// The text of primitive `code` of function type `t` (101..=103).
pub fn primitive(t: i8, code: u8) -> String {
    let table: &[&str] = match t {
        101 => &UNARY,
        102 => &BINARY,
        _ => &ITERATORS,
    };
    match table.get(code as usize) {
        Some(name) => (*name).to_string(),
        None => format!("primitive{t}:{code}"),
    }
}

/// The glyph of an iterator-derived function type (106..=111).
pub fn iterator(t: i8) -> &'static str {
    ITERATORS[(t - 106) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_code() {
        assert_eq!(primitive(101, 0), "::");
        assert_eq!(primitive(101, 2), "-:");
        assert_eq!(primitive(101, 13), "#:");
        assert_eq!(primitive(102, 1), "+");
        assert_eq!(primitive(102, 19), ".");
        assert_eq!(primitive(102, 24), "within");
        assert_eq!(primitive(103, 4), "/:");
        assert_eq!(iterator(106), "'");
        assert_eq!(iterator(111), "\\:");
    }
}
