//! Display names of primitives by kdb+'s own codes (the `g` byte of types 101, 102, 103).
//!
//! `q::prims` owns the table of what each code does (`UNARY_CODES`, `BINARY_CODES`,
//! `TERNARY_CODES`); this private copy of the names serves only printing, so formatting does
//! not depend on the primitives. Codes 34..=36 (`binr` `cov` `cor`) and iterators 3..=5 go
//! beyond the primitives' table.

/// Unary primitives (type 101): `::`, the monadic forms of the glyphs written `+:`, then the
/// keywords kdb+ implements as primitives. Same codes as `q::prims::UNARY_CODES`.
const UNARY: [&str; 45] = [
    "::", "+:", "-:", "*:", "%:", "&:", "|:", "^:", "=:", "<:", ">:", "$:", ",:", "#:", "_:", "~:",
    "!:", "?:", "@:", ".:", "0::", "1::", "2::", "avg", "last", "sum", "prd", "min", "max", "exit",
    "getenv", "abs", "sqrt", "log", "exp", "sin", "asin", "cos", "acos", "tan", "atan", "enlist",
    "var", "dev", "hopen",
];

/// Binary primitives (type 102).
const BINARY: [&str; 37] = [
    ":", "+", "-", "*", "%", "&", "|", "^", "=", "<", ">", "$", ",", "#", "_", "~", "!", "?", "@",
    ".", "0:", "1:", "2:", "in", "within", "like", "bin", "ss", "insert", "wsum", "wavg", "div",
    "xexp", "setenv", "binr", "cov", "cor",
];

/// Iterators as values (type 103).
const ITERATORS: [&str; 6] = ["'", "/", "\\", "':", "/:", "\\:"];

/// The code that marks an elided argument of a projection (a 101 atom).
pub const ELIDED: u8 = 255;

/// The evaluator's names for codes it gives its own functions (keywords kdb+ defines in q).
pub type Namer = fn(i8, u8) -> Option<&'static str>;

static NAMER: std::sync::OnceLock<Namer> = std::sync::OnceLock::new();

/// Installs the evaluator's namer (once; later calls are ignored). It is asked first and
/// answers `None` for codes that should print with kdb+'s names.
pub fn set_namer(f: Namer) {
    let _ = NAMER.set(f);
}

/// The text of primitive `code` of function type `t` (101..=103).
pub fn primitive(t: i8, code: u8) -> String {
    if let Some(name) = NAMER.get().and_then(|f| f(t, code)) {
        return name.to_string();
    }
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
        assert_eq!(primitive(101, 25), "sum");
        assert_eq!(primitive(101, 44), "hopen");
        assert_eq!(primitive(103, 4), "/:");
        assert_eq!(iterator(106), "'");
        assert_eq!(iterator(111), "\\:");
    }
}
