//! How q shows keywords it defines in q itself rather than as primitives. This engine runs
//! them natively, but the console shows them as kdb+ does: `deltas` is `-':`, `each` is
//! `k){x'y}`. Texts are the ones KX's reference pages show; a keyword not listed shows as its
//! name, as kdb+'s native keywords (`sum`, `avg`) do.

/// (keyword, the text q shows for its value).
const SHOWN: &[(&str, &str)] = &[
    ("deltas", "-':"),
    ("ratios", "%':"),
    ("differ", "$[\"b\"]~~':"),
    ("prev", ":':"),
    ("sums", "+\\"),
    ("prds", "*\\"),
    ("maxs", "|\\"),
    ("mins", "&\\"),
    ("fills", "^\\"),
    ("raze", ",/"),
    ("ltime", "%:"),
    ("each", "k){x'y}"),
    ("over", "k){x/y}"),
    ("scan", "k){x\\y}"),
    ("prior", "k){x':y}"),
    ("til", "k){$[0>@x;!x;'`type]}"),
    ("xbar", "k){x*y div x:$[16h=abs[@x];\"j\"$x;x]}"),
    ("fby", "k){@[(#y)#x[0]0#x 1;g;:;x[0]'x[1]g:.=y]}"),
];

/// The text of a function value of type `t` (101..=103) with `code`, when it is a keyword's.
pub fn shown(t: i8, code: u8) -> Option<&'static str> {
    let f = crate::obj::K::atom_word(t, code as u64);
    match super::verbs::decode(&f)? {
        super::verbs::PrimRef::Keyword(name, _) => Some(
            SHOWN
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(name, |(_, text)| *text),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_show_as_q_shows_them() {
        let text = |name: &str| {
            let (t, code) = super::super::verbs::keyword_code(name).unwrap();
            shown(t, code).map(str::to_string)
        };
        assert_eq!(text("deltas").as_deref(), Some("-':"));
        assert_eq!(text("each").as_deref(), Some("k){x'y}"));
        assert_eq!(text("wj").as_deref(), Some("wj"));
        // Glyph forms keep their own text.
        assert_eq!(text("count"), None);
    }
}
