//! The `.h` namespace: markup (HTML, XML), delimited text, HTTP responses and URL encoding.
//!
//! As in kdb+, most of `.h` is q functions over a few constants; they are lambdas here too
//! (`value`), so a session can read and replace them (`.h.d:"*"` changes what `.h.cd` joins
//! nested cells with). The text transforms that are loops over bytes are native (`call`).

use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::q::eval::values::*;
use crate::q::eval::Ctx;
use crate::q::keywords::builtins::q_lambda as lambda;

/// Characters `.h.hu` leaves as they are.
const URL_SAFE: &str = "$-.+!*'(),abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";

/// `.h` functions written in q.
const LAMBDAS: &[(&str, &str)] = &[
    (".h.htc", "{[x;y]\"<\",(string x),\">\",y,\"</\",(string x),\">\"}"),
    (".h.hta", "{[x;y]\"<\",(string x),(raze{\" \",(string x),\"=\",$[10h=type y;\"\\\"\",y,\"\\\"\";string y]}'[key y;value y]),\">\"}"),
    (".h.htac", "{[x;y;z].h.hta[x;y],z,\"</\",(string x),\">\"}"),
    (".h.ha", "{[x;y].h.htac[`a;(enlist`href)!enlist x;y]}"),
    (".h.hb", "{[x;y].h.htac[`a;`target`href!(`v;x);y]}"),
    (".h.nbr", "{.h.htc[`nobr;x]}"),
    (".h.pre", "{.h.htc[`pre;raze x,\\:\"\\n\"]}"),
    (".h.xmp", "{.h.htc[`xmp;raze x,\\:\"\\n\"]}"),
    (".h.text", "{raze{\"<p>\",x,\"</p>\\n\"}each x}"),
    (".h.hr", "{(count x)#\"-\"}"),
    (".h.hc", "{\"&lt;\"sv\"<\"vs x}"),
    (".h.code", "{\" \"sv@[v;1+2*til(count v:\"\\t\"vs x)div 2;{\"<code>\",.h.nbr[x],\"</code>\"}]}"),
    (".h.html", "{\"<html><head><style>\",.h.sa,\"</style></head><body>\",x,\"</body></html>\"}"),
    (".h.hy", "{[x;y]\"HTTP/1.1 200 OK\\r\\nContent-Type: \",(.h.ty x),\"\\r\\nConnection: close\\r\\nContent-Length: \",(string count y),\"\\r\\n\\r\\n\",y}"),
    (".h.hn", "{[x;y;z]\"HTTP/1.1 \",x,\"\\r\\nContent-Type: \",($[null y;\"application/octet-stream\";.h.ty y]),\"\\r\\nConnection: close\\r\\nContent-Length: \",(string count z),\"\\r\\n\\r\\n\",z}"),
    (".h.hp", "{.h.hy[`htm]\"<html><head><style>\",.h.sb,\"</style></head><body><pre>\",(raze x,\\:\"\\n\"),\"</pre></body></html>\"}"),
    (".h.he", "{.h.hn[\"400 Bad Request\";`txt;x,\"\\n\"]}"),
    (".h.jx", "{[j;x]x:value x;n:count x;c:32;l:{\"<a href=\\\"?[\",(string y),\"\\\">\",x,\"</a> \"};(raze[(l[\"home\";0];l[\"up\";0|j-c];l[\"down\";j+c];l[\"end\";0|n-c])],(string n),\"[\",(string j),\"]\";\"\"),-1_\"\\n\"vs .Q.s c sublist j _ x}"),
    // ref/doth.md documents `json only; other formats' parsing is not known.
    (".h.xt", "{[x;y]$[x~`json;.j.k each y;'`nyi]}"),
    // `.h.hug x`: a map from characters to `%xx`, except x's characters, which map to
    // themselves (ref/doth.md); applied to a string, it escapes it.
    (".h.hug", "{[x;y]raze@[\"%\",/:string\"x\"$til 256;\"j\"$x;:;enlist each x]\"j\"$y}"),
    (".h.fram", "{[x;y;z]\"<html><head><title>\",x,\"</title><frameset cols=\\\"316,*\\\"><frame src=\\\"\",(first z),\"\\\"><frame name=v src=\\\"\",(last z),\"\\\"></frameset></head></html>\"}"),
];

/// `.h` functions that are native (`call`).
const NATIVES: &[&str] = &[
    "cd", "td", "xd", "xs", "hu", "uh", "http", "iso8601", "ed", "edsn",
];

/// `.h` functions that are keywords' values: `.h.val` is `value` (ref/doth.md).
const KEYWORD_VALUES: &[(&str, &str)] = &[("val", "value")];

/// `.h` constants (`value`).
const CONSTANTS: &[&str] = &["HOME", "br", "c0", "c1", "d", "sa", "sb", "sc", "tx", "ty"];

/// The names `.h` defines before the session changes anything (`\f .h`, `\v .h`): its
/// functions, or its other values.
pub fn names(functions: bool) -> Vec<Sym> {
    if !functions {
        return CONSTANTS.iter().map(Sym::new).collect();
    }
    let written_in_q = LAMBDAS.iter().map(|(n, _)| &n[3..]);
    written_in_q
        .chain(NATIVES.iter().copied())
        .chain(KEYWORD_VALUES.iter().map(|(n, _)| *n))
        .map(Sym::new)
        .collect()
}

/// The value of `.h` name `name` that the session has not replaced.
pub fn value(name: &str) -> Option<K> {
    if let Some((_, src)) = LAMBDAS.iter().find(|(n, _)| *n == name) {
        return lambda(src);
    }
    if let Some((_, k)) = KEYWORD_VALUES
        .iter()
        .find(|(n, _)| name.get(3..) == Some(*n))
    {
        return crate::q::eval::verbs::keyword_value(k);
    }
    Some(match name {
        // ref/doth.md: the linebreak, the web console's colours, and (kb/custom-web.md) the
        // webserver root, a directory `html`, where the default `.z.ph` finds files.
        ".h.br" => K::string("<br>"),
        ".h.c0" => K::sym(Sym::new("024C7E")),
        ".h.c1" => K::sym(Sym::new("958600")),
        ".h.HOME" => K::string("html"),
        ".h.d" => K::char(b' '),
        ".h.sc" => K::string(URL_SAFE),
        ".h.sb" => K::string("body{font:10pt verdana;text-align:justify}"),
        ".h.sa" => K::string("a{text-decoration:none}a:link{color:024C7E}a:visited{color:024C7E}a:active{color:958600}body{font:10pt verdana;text-align:justify}"),
        ".h.ty" => content_types(),
        ".h.tx" => {
            let fs: [(&str, &str); 6] = [
                ("raw", "{enlist x}"),
                ("json", "{.j.j each $[99h=type x;0!x;x]}"),
                ("csv", "{.h.cd x}"),
                ("txt", "{.h.td x}"),
                ("xml", "{.h.xd x}"),
                ("xls", "{.h.ed x}"),
            ];
            let keys: Vec<Sym> = fs.iter().map(|(k, _)| Sym::new(k)).collect();
            let vals: Vec<K> = fs.iter().map(|(_, s)| lambda(s)).collect::<Option<_>>()?;
            K::dict(K::from_slice(KS, &keys), K::list(vals))
        }
        _ => return None,
    })
}

/// `.h.ty`: MIME types by file extension.
fn content_types() -> K {
    let types: [(&str, &str); 14] = [
        ("htm", "text/html"),
        ("html", "text/html"),
        ("csv", "text/comma-separated-values"),
        ("txt", "text/plain"),
        ("xml", "text/plain"),
        ("xls", "application/msexcel"),
        ("gif", "image/gif"),
        ("png", "image/png"),
        ("jpg", "image/jpeg"),
        ("svg", "image/svg+xml"),
        ("js", "application/javascript"),
        ("css", "text/css"),
        ("json", "application/json"),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ];
    let keys: Vec<Sym> = types.iter().map(|(k, _)| Sym::new(k)).collect();
    K::dict(
        K::from_slice(KS, &keys),
        K::list(types.iter().map(|(_, v)| K::string(*v)).collect()),
    )
}

/// The native `.h` functions.
pub fn call(cx: &mut Ctx, name: &str, args: &[K]) -> Option<Result<K>> {
    let [x] = args else { return None };
    Some(match name {
        ".h.xs" => chars(x).map(|s| K::string(xml_escape(&s))),
        ".h.hu" => chars(x).map(|s| K::string(url_encode(&s))),
        ".h.uh" => chars(x).map(|s| K::string(url_decode(&s))),
        ".h.http" => chars(x).map(|s| K::string(links(&s))),
        ".h.iso8601" => iso8601(cx, x),
        ".h.cd" => delimited(cx, b',', x),
        ".h.td" => delimited(cx, b'\t', x),
        ".h.xd" => xml(cx, x),
        ".h.ed" => super::excel::ed(cx, x),
        ".h.edsn" => super::excel::edsn(cx, x),
        _ => return None,
    })
}

fn chars(x: &K) -> Result<Vec<u8>> {
    match x.t() {
        KC => Ok(x.bytes().to_vec()),
        A_KC => Ok(vec![x.g()]),
        0 if x.n() == 0 => Ok(Vec::new()),
        _ => Err(Error::type_()),
    }
}

pub(super) fn xml_escape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        match c {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn url_encode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if URL_SAFE.as_bytes().contains(&c) {
            out.push(c);
        } else {
            out.extend_from_slice(format!("%{c:02x}").as_bytes());
        }
    }
    out
}

fn url_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (s[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// `.h.http`: text with each `http://` address made a link to itself.
fn links(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if !s[i..].starts_with(b"http://") {
            out.push(s[i]);
            i += 1;
            continue;
        }
        let end = s[i..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || b"\"<>".contains(c))
            .map_or(s.len(), |e| i + e);
        let url = &s[i..end];
        out.extend_from_slice(&[&b"<a href=\""[..], url, b"\">", url, b"</a>"].concat());
        i = end;
    }
    out
}

/// `string x` at the session's precision.
fn text(cx: &Ctx, x: &K) -> Result<Vec<u8>> {
    let s = crate::q::fmt::string_with(x.clone(), &cx.eng.fmt_options())?;
    Ok(s.bytes().to_vec())
}

/// `.h.iso8601`: a timestamp (or nanoseconds since 2000) as `yyyy-mm-ddThh:mm:ss.nnnnnnnnn`.
fn iso8601(cx: &Ctx, x: &K) -> Result<K> {
    let one = |v: &K| -> Result<K> {
        let ns = match v.t() {
            A_KP | A_KJ | A_KN => v.j(),
            _ => as_long(v).ok_or_else(Error::type_)?,
        };
        let mut s = text(cx, &K::atom_i64(A_KP, ns))?;
        for c in s.iter_mut().take(10) {
            if *c == b'.' {
                *c = b'-';
            }
        }
        if let Some(d) = s.iter().position(|c| *c == b'D') {
            s[d] = b'T';
        }
        Ok(K::string(s))
    };
    if x.is_atom() {
        one(x)
    } else {
        Ok(K::list(items_of(x).iter().map(one).collect::<Result<_>>()?))
    }
}

/// Column names (None for a list of columns) and columns of a table or list of columns.
pub(super) fn columns(x: &K) -> Result<(Option<Vec<Sym>>, Vec<K>)> {
    match x.t() {
        XT | XD => {
            let t = table::unkey(x.clone())?;
            let d = t.table_dict();
            Ok((syms(&d.items()[0]), items_of(&d.items()[1])))
        }
        0 => Ok((None, x.items().to_vec())),
        _ => Err(Error::type_()),
    }
}

/// One cell as text: strings as they are, nested lists joined by `.h.d`.
pub(super) fn cell(cx: &Ctx, col: &K, i: usize, join: &[u8]) -> Result<Vec<u8>> {
    let v = item(col, i);
    Ok(match v.t() {
        KC => v.bytes().to_vec(),
        t if (0..LAMBDA).contains(&t) => {
            let parts: Vec<Vec<u8>> = (0..count(&v))
                .map(|k| cell(cx, &v, k, join))
                .collect::<Result<_>>()?;
            parts.join(join)
        }
        _ => text(cx, &v)?,
    })
}

pub(super) fn rows_of(cols: &[K]) -> Result<usize> {
    let n = cols.first().map_or(0, count);
    if cols.iter().any(|c| count(c) != n) {
        return Err(Error::length());
    }
    Ok(n)
}

/// `.h.cd` and `.h.td`: a table or list of columns as delimited lines.
fn delimited(cx: &mut Ctx, sep: u8, x: &K) -> Result<K> {
    let join = match cx.lookup(Sym::new(".h.d")) {
        Ok(d) => chars(&d)?,
        Err(_) => vec![b' '],
    };
    let (names, cols) = columns(x)?;
    let field = |mut s: Vec<u8>| -> Vec<u8> {
        if s.iter().any(|c| *c == sep || *c == b'"' || *c == b'\n') {
            let mut q = vec![b'"'];
            for c in s.drain(..) {
                q.push(c);
                if c == b'"' {
                    q.push(b'"');
                }
            }
            q.push(b'"');
            return q;
        }
        s
    };
    let mut lines = Vec::new();
    if let Some(names) = names {
        let head: Vec<Vec<u8>> = names.iter().map(|n| field(n.as_bytes().to_vec())).collect();
        lines.push(K::string(head.join(&sep)));
    }
    for i in 0..rows_of(&cols)? {
        let row: Vec<Vec<u8>> = cols
            .iter()
            .map(|c| cell(cx, c, i, &join).map(field))
            .collect::<Result<_>>()?;
        lines.push(K::string(row.join(&sep)));
    }
    Ok(K::list(lines))
}

/// `.h.xd`: a table as XML, one line a row.
fn xml(cx: &mut Ctx, x: &K) -> Result<K> {
    let (names, cols) = columns(x)?;
    let names = names.ok_or_else(Error::type_)?;
    let mut lines = vec![K::string("<R>")];
    for i in 0..rows_of(&cols)? {
        let mut row = b"<r>".to_vec();
        for (n, c) in names.iter().zip(&cols) {
            let n = n.as_bytes();
            row.extend_from_slice(&[b"<", n, b">"].concat());
            row.extend_from_slice(&xml_escape(&cell(cx, c, i, b" ")?));
            row.extend_from_slice(&[b"</", n, b">"].concat());
        }
        row.extend_from_slice(b"</r>");
        lines.push(K::string(row));
    }
    lines.push(K::string("</R>"));
    Ok(K::list(lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(url_encode(b"http://www.kx.com"), b"http%3a%2f%2fwww.kx.com");
        assert_eq!(url_decode(b"http%3a%2f%2fwww.kx.com"), b"http://www.kx.com");
        assert_eq!(xml_escape(b"Arthur & Co."), b"Arthur &amp; Co.");
        for (name, _) in LAMBDAS {
            assert!(value(name).is_some(), "{name} parses");
        }
    }
}
