//! The lexer: q source text to tokens.
//!
//! q's lexing depends on spacing, so the lexer decides it here: `-1` after a space or an
//! operator is a negative literal but `x-1` is subtraction; `/` after a space starts a comment
//! but `+/` is an iterator; `'` after a space signals but `f'` is each. Numeric literals written
//! side by side become one vector token (`1 2 3`).

use super::literal::{self, Lit, Parsed};
use crate::obj::{Error, Result, Sym, K, KC, KS};

#[derive(Clone, Debug)]
pub enum Tok {
    /// A literal value: number, temporal, string, symbol, or a vector of them.
    Lit(K),
    Name(String),
    /// A primitive glyph such as `+` or `?`, or a file verb `0:`.
    Verb(String),
    /// A glyph immediately followed by `:` (`+:`): compound assignment after a name, else the
    /// glyph's unary form.
    VerbColon(String),
    Colon,
    DColon,
    /// `'` `/` `\` `':` `/:` `\:` attached to what precedes them.
    Adverb(&'static str),
    /// `'` at the start of an expression: signal.
    Signal,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Semi,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    /// Byte offset in the source.
    pub pos: usize,
    /// Whitespace came right before this token.
    pub spaced: bool,
}

const GLYPHS: &[u8] = b"+-*%!&|<>=~,^#_$?@.";

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic()
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'.'
}

/// True when the character before position `i` ends a noun, so a following `-` is subtraction.
fn ends_noun(src: &[u8], i: usize) -> bool {
    i > 0 && {
        let p = src[i - 1];
        p.is_ascii_alphanumeric()
            || matches!(p, b')' | b']' | b'}' | b'"' | b'.' | b'`')
            || p == b'_' && ends_name(src, i - 1)
    }
}

/// Whether the `_` at `u` is the last character of a name (`a_-1` is `a_` minus 1), rather
/// than the verb after a number (`1_-10_s` drops from both ends).
fn ends_name(src: &[u8], u: usize) -> bool {
    let mut k = u;
    while k > 0 && (src[k - 1].is_ascii_alphanumeric() || matches!(src[k - 1], b'_' | b'.')) {
        k -= 1;
    }
    src[k].is_ascii_alphabetic() || src[k] == b'.' && src[k + 1].is_ascii_alphabetic()
}

/// Lexes source bytes: q strings are bytes, so text that is not UTF-8 reaches string
/// literals unchanged.
pub fn lex(src: &[u8]) -> Result<Vec<Token>> {
    let s = src;
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut depth = 0i32;
    let mut spaced = true;
    while i < s.len() {
        let c = s[i];
        let start = i;
        if c == b' ' || c == b'\t' || c == b'\r' {
            spaced = true;
            i += 1;
            continue;
        }
        if c == b'\n' {
            spaced = true;
            i += 1;
            // A newline at the outer level ends a statement unless the next line is indented
            // (a continuation), as in scripts.
            if depth <= 0
                && i < s.len()
                && !matches!(s[i], b' ' | b'\t' | b'\n' | b'\r')
                && !matches!(out.last().map(|t| &t.tok), None | Some(Tok::Semi))
            {
                out.push(Token {
                    tok: Tok::Semi,
                    pos: start,
                    spaced: true,
                });
            }
            continue;
        }
        // A comment: `/` at the start or after whitespace runs to the end of the line.
        if c == b'/' && (spaced || i == 0) {
            while i < s.len() && s[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let was_spaced = spaced;
        spaced = false;
        let mut push = |tok: Tok| {
            out.push(Token {
                tok,
                pos: start,
                spaced: was_spaced,
            })
        };
        // Numbers (with a sign where a sign is allowed), and runs of them.
        let num_start = |j: usize| -> bool {
            if j >= s.len() {
                return false;
            }
            let c = s[j];
            c.is_ascii_digit()
                || c == b'.' && j + 1 < s.len() && s[j + 1].is_ascii_digit()
                || c == b'-'
                    && !ends_noun(s, j)
                    && j + 1 < s.len()
                    && (s[j + 1].is_ascii_digit()
                        || s[j + 1] == b'.' && j + 2 < s.len() && s[j + 2].is_ascii_digit())
        };
        if num_start(i) && !(c == b'.' && ends_noun(s, i) && i > 0 && is_name_char(s[i - 1])) {
            // File verbs `0:` `1:` `2:`: before a digit a time (`x within 1:30 2:30`), unless
            // right after a noun (`(types;widths)1:0x0100`, `` (`:f;17;2;9)1:100#0x0 ``,
            // `","0:10 10#til 100`: file-text.md).
            if matches!(c, b'0' | b'1' | b'2')
                && s.get(i + 1) == Some(&b':')
                && (!s.get(i + 2).is_some_and(|d| d.is_ascii_digit()) || ends_noun(s, i))
                && !s
                    .get(i - usize::from(i > 0))
                    .is_some_and(|p| i > 0 && p.is_ascii_alphanumeric())
            {
                push(Tok::Verb(format!("{}:", c as char)));
                i += 2;
                continue;
            }
            let mut lits: Vec<Lit> = Vec::new();
            let mut texts: Vec<&str> = Vec::new();
            let mut vector: Option<K> = None;
            let mut j = i;
            loop {
                let (text, end) = scan_number(s, j);
                match literal::parse(text) {
                    Some(Parsed::Scalar(l)) if vector.is_none() => {
                        lits.push(l);
                        texts.push(text);
                    }
                    Some(Parsed::Vector(v)) if lits.is_empty() && vector.is_none() => {
                        vector = Some(v)
                    }
                    _ if lits.is_empty() && vector.is_none() => {
                        return Err(Error::new(text.trim_start_matches('-')))
                    }
                    _ => break,
                }
                j = end;
                // Another number after spaces continues the run.
                // Inside brackets a line break between numbers is only spacing.
                let mut k = j;
                while k < s.len()
                    && (s[k] == b' ' || s[k] == b'\t' || depth > 0 && matches!(s[k], b'\n' | b'\r'))
                {
                    k += 1;
                }
                if vector.is_some() || k == j || !num_start(k) {
                    break;
                }
                // Check the next item parses before committing to it.
                let (next, _) = scan_number(s, k);
                match literal::parse(next) {
                    Some(Parsed::Scalar(_)) => j = k,
                    _ => break,
                }
            }
            i = j;
            // A type suffix on the last item types the whole run (`1 2 3h`, `2012.05 2012.06m`).
            if let (Some(last), true) = (texts.last(), texts.len() > 1) {
                let suffix = last.as_bytes()[last.len() - 1];
                if b"hijefpmdznuvt".contains(&suffix) && !last.starts_with("0x") {
                    let retyped: Option<Vec<Lit>> = texts[..texts.len() - 1]
                        .iter()
                        .map(|t| {
                            // `0N`/`0W` take the suffix too (`2001.01 0N 2001.02m`).
                            let bare = matches!(&t[..], "0N" | "0W" | "-0W");
                            if t.as_bytes()[t.len() - 1].is_ascii_alphabetic() && !bare {
                                return None;
                            }
                            match literal::parse(&format!("{t}{}", suffix as char)) {
                                Some(Parsed::Scalar(l)) => Some(l),
                                _ => None,
                            }
                        })
                        .collect();
                    if let Some(mut r) = retyped {
                        r.push(lits[lits.len() - 1]);
                        if r.iter().all(|l| l.t == r[0].t) {
                            lits = r;
                        }
                    }
                }
            }
            let v = match vector {
                Some(v) => v,
                None => literal::run(&lits).ok_or_else(Error::type_)?,
            };
            push(Tok::Lit(v));
            continue;
        }
        if c == b'"' {
            let (v, end) = scan_string(s, i)?;
            i = end;
            push(Tok::Lit(v));
            continue;
        }
        if c == b'`' {
            let mut syms = Vec::new();
            while i < s.len() && s[i] == b'`' {
                i += 1;
                let st = i;
                // A colon may follow the first character (`` `a:b ``, `` `localhost:8001 ``),
                // and after a colon a path's slashes and dashes (`` `c:/q/test.txt ``, hsym.md).
                let mut path = i < s.len() && s[i] == b':';
                while i < s.len()
                    && (is_name_char(s[i])
                        || s[i] == b':' && i > st
                        || path && (s[i] == b':' || s[i] == b'/' || s[i] == b'-'))
                {
                    path |= s[i] == b':';
                    i += 1;
                }
                syms.push(Sym::new(&s[st..i]));
            }
            let v = if syms.len() == 1 {
                K::sym(syms[0])
            } else {
                K::from_slice(KS, &syms)
            };
            push(Tok::Lit(v));
            continue;
        }
        if is_name_start(c) || c == b'.' && s.get(i + 1).is_some_and(|d| d.is_ascii_alphabetic()) {
            let st = i;
            i += 1;
            while i < s.len() && is_name_char(s[i]) {
                i += 1;
            }
            // A trailing dot is not part of the name.
            while i > st + 1 && s[i - 1] == b'.' {
                i -= 1;
            }
            push(Tok::Name(String::from_utf8_lossy(&s[st..i]).into_owned()));
            continue;
        }
        match c {
            b'(' | b'[' | b'{' => {
                depth += 1;
                push(match c {
                    b'(' => Tok::LParen,
                    b'[' => Tok::LBracket,
                    _ => Tok::LBrace,
                });
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth -= 1;
                push(match c {
                    b')' => Tok::RParen,
                    b']' => Tok::RBracket,
                    _ => Tok::RBrace,
                });
                i += 1;
            }
            b';' => {
                push(Tok::Semi);
                i += 1;
            }
            b'\'' | b'/' | b'\\' => {
                let colon = s.get(i + 1) == Some(&b':');
                if c == b'\'' && (was_spaced || !ends_noun_or_verb(s, i)) && !colon {
                    push(Tok::Signal);
                    i += 1;
                    continue;
                }
                let adv = match (c, colon) {
                    (b'\'', false) => "'",
                    (b'\'', true) => "':",
                    (b'/', false) => "/",
                    (b'/', true) => "/:",
                    (b'\\', false) => "\\",
                    _ => "\\:",
                };
                push(Tok::Adverb(adv));
                i += 1 + colon as usize;
            }
            b':' => {
                if s.get(i + 1) == Some(&b':') {
                    push(Tok::DColon);
                    i += 2;
                } else {
                    push(Tok::Colon);
                    i += 1;
                }
            }
            // The two-character comparisons `<>` `<=` `>=`.
            b'<' | b'>'
                if matches!(
                    (c, s.get(i + 1)),
                    (b'<', Some(b'>' | b'=')) | (b'>', Some(b'='))
                ) =>
            {
                push(Tok::Verb(
                    String::from_utf8_lossy(&s[i..i + 2]).into_owned(),
                ));
                i += 2;
            }
            _ if GLYPHS.contains(&c) => {
                // `+:` is compound assignment or a unary form, but `+::` is not; `x:-:y`...
                if s.get(i + 1) == Some(&b':') && s.get(i + 2) != Some(&b':') {
                    push(Tok::VerbColon((c as char).to_string()));
                    i += 2;
                } else {
                    push(Tok::Verb((c as char).to_string()));
                    i += 1;
                }
            }
            _ => return Err(Error::new("char")),
        }
    }
    Ok(out)
}

/// `-4!`: the source cut into its tokens, runs of whitespace as tokens of their own.
pub fn token_texts(src: &[u8]) -> Result<Vec<Vec<u8>>> {
    let toks = lex(src)?;
    let mut out = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        let end = toks.get(k + 1).map_or(src.len(), |n| n.pos);
        let text = &src[t.pos..end];
        let body = text.trim_ascii_end();
        if !body.is_empty() {
            out.push(body.to_vec());
        }
        if body.len() < text.len() {
            out.push(text[body.len()..].to_vec());
        }
    }
    Ok(out)
}

/// Whether `'` at `i` follows something it can modify (no space between).
fn ends_noun_or_verb(s: &[u8], i: usize) -> bool {
    i > 0 && {
        let p = s[i - 1];
        p.is_ascii_alphanumeric()
            || matches!(
                p,
                b')' | b']' | b'}' | b'"' | b'_' | b'.' | b'`' | b'\'' | b'/' | b'\\' | b':'
            )
            || GLYPHS.contains(&p)
    }
}

/// The extent of one numeric token starting at `i` (a leading `-` included).
fn scan_number(s: &[u8], i: usize) -> (&str, usize) {
    let mut j = i;
    if s[j] == b'-' {
        j += 1;
    }
    let hex = s[j..].starts_with(b"0x");
    while j < s.len() {
        let c = s[j];
        let digit_next = s.get(j + 1).is_some_and(|d| d.is_ascii_digit());
        // An exponent's sign: 1e-5, not 1e - 5 or 0x1e-5.
        let exponent_sign = (c == b'-' || c == b'+')
            && !hex
            && j > i
            && matches!(s[j - 1], b'e' | b'E')
            && digit_next
            && s[i..j - 1]
                .iter()
                .all(|d| d.is_ascii_digit() || *d == b'.' || *d == b'-');
        if c.is_ascii_alphanumeric() || c == b'.' || c == b':' && digit_next || exponent_sign {
            j += 1;
        } else {
            break;
        }
    }
    (std::str::from_utf8(&s[i..j]).unwrap_or(""), j)
}

/// A string literal starting at the quote at `i`: a char atom for one character.
fn scan_string(s: &[u8], i: usize) -> Result<(K, usize)> {
    let mut j = i + 1;
    let mut out = Vec::new();
    while j < s.len() && s[j] != b'"' {
        if s[j] == b'\\' && j + 1 < s.len() {
            let e = s[j + 1];
            j += 2;
            match e {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'\\' => out.push(b'\\'),
                b'"' => out.push(b'"'),
                b'0'..=b'7' => {
                    let mut v = (e - b'0') as u32;
                    let mut k = 0;
                    while k < 2 && j < s.len() && (b'0'..=b'7').contains(&s[j]) {
                        v = v * 8 + (s[j] - b'0') as u32;
                        j += 1;
                        k += 1;
                    }
                    out.push(v as u8);
                }
                other => {
                    out.push(b'\\');
                    out.push(other);
                }
            }
        } else {
            out.push(s[j]);
            j += 1;
        }
    }
    if j >= s.len() {
        return Err(Error::new("\""));
    }
    let v = if out.len() == 1 {
        K::char(out[0])
    } else {
        K::from_slice(KC, &out)
    };
    Ok((v, j + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> String {
        lex(src.as_bytes())
            .unwrap()
            .iter()
            .map(|t| match &t.tok {
                Tok::Lit(k) => format!("L{}", k.t()),
                Tok::Name(n) => format!("N{n}"),
                Tok::Verb(v) => format!("V{v}"),
                Tok::VerbColon(v) => format!("C{v}"),
                Tok::Adverb(a) => format!("A{a}"),
                other => format!("{other:?}"),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn spacing_decides_minus_comments_and_adverbs() {
        assert_eq!(kinds("x-1"), "Nx V- L-7");
        assert_eq!(kinds("x -1"), "Nx L-7");
        assert_eq!(kinds("1 -2 3"), "L7");
        assert_eq!(kinds("+/[1 2] / sum"), "V+ A/ LBracket L7 RBracket");
        assert_eq!(kinds("f'[x]"), "Nf A' LBracket Nx RBracket");
        assert_eq!(kinds("'`type"), "Signal L-11");
        assert_eq!(kinds("a+:1"), "Na C+ L-7");
        assert_eq!(kinds("`a`b,`c"), "L11 V, L-11");
        assert_eq!(kinds("(1 2\n  3)"), "LParen L7 RParen");
    }
}
