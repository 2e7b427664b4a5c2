//! `.h.ed` and `.h.edsn`: tables as an Excel workbook in Excel's XML Spreadsheet format
//! (SpreadsheetML 2003), the text `save `t.xls` and `.h.tx[`xls]` write.
//!
//! ref/doth.md shows each function's first two lines (the XML declaration with its
//! `mso-application` instruction, then `<Workbook` with its namespaces in the order each
//! shows: `xmlns:o` after the default one for `.h.ed`, `xmlns:ss` for `.h.edsn`); the rest
//! is written from the format's published schema, not from kdb+'s text, which is not
//! documented: a worksheet per table, a header row of column names, a row per record.
//! Numbers and booleans are typed cells, nulls empty cells, everything else (symbols,
//! strings, temporal values) text as `string` shows it.

use super::doth::{cell, columns, rows_of, xml_escape};
use crate::obj::*;
use crate::q::eval::values::*;
use crate::q::eval::Ctx;

const DECLARATION: &str = "<?xml version=\"1.0\"?><?mso-application progid=\"Excel.Sheet\"?>";
const NS_SS: &str = "xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"";
const NS_OTHERS: &str = "xmlns:o=\"urn:schemas-microsoft-com:office:office\" \
     xmlns:x=\"urn:schemas-microsoft-com:office:excel\"";
const NS_HTML: &str = "xmlns:html=\"http://www.w3.org/TR/REC-html40\"";

/// `.h.ed x`: table `x` as a workbook of one worksheet, `Sheet1`.
pub fn ed(cx: &Ctx, x: &K) -> Result<K> {
    let open = format!(
        "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" {NS_OTHERS} {NS_SS} {NS_HTML}>"
    );
    workbook(cx, open, &[(Sym::new("Sheet1"), x.clone())])
}

/// `.h.edsn x`: dictionary `x` of sheet names to tables as a workbook, a worksheet each.
pub fn edsn(cx: &Ctx, x: &K) -> Result<K> {
    if x.t() != XD {
        return Err(Error::type_());
    }
    let names = syms(&x.items()[0]).ok_or_else(Error::type_)?;
    let tables = items_of(&x.items()[1]);
    if names.len() != tables.len() {
        return Err(Error::length());
    }
    let open = format!(
        "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" {NS_SS} {NS_OTHERS} {NS_HTML}>"
    );
    workbook(cx, open, &names.into_iter().zip(tables).collect::<Vec<_>>())
}

/// The workbook's lines: the declaration, `open`, each sheet's lines, the closing tag.
fn workbook(cx: &Ctx, open: String, sheets: &[(Sym, K)]) -> Result<K> {
    let mut lines = vec![K::string(DECLARATION), K::string(open)];
    for (name, t) in sheets {
        worksheet(cx, *name, t, &mut lines)?;
    }
    lines.push(K::string("</Workbook>"));
    Ok(K::list(lines))
}

fn worksheet(cx: &Ctx, name: Sym, t: &K, lines: &mut Vec<K>) -> Result<()> {
    let (names, cols) = columns(t)?;
    let names = names.ok_or_else(Error::type_)?;
    let n = rows_of(&cols)?;
    let sheet = attribute(name.as_bytes());
    lines.push(K::string(
        [b"<Worksheet ss:Name=\"".as_slice(), &sheet, b"\"><Table>"].concat(),
    ));
    let header: Vec<u8> = names.iter().flat_map(|c| text_cell(c.as_bytes())).collect();
    lines.push(K::string(row(&header)));
    for i in 0..n {
        let mut cells = Vec::new();
        for c in &cols {
            cells.extend(typed_cell(cx, c, i)?);
        }
        lines.push(K::string(row(&cells)));
    }
    lines.push(K::string("</Table></Worksheet>"));
    Ok(())
}

fn row(cells: &[u8]) -> Vec<u8> {
    [b"<Row>".as_slice(), cells, b"</Row>"].concat()
}

/// Row `i` of column `c` as one `<Cell>`.
fn typed_cell(cx: &Ctx, c: &K, i: usize) -> Result<Vec<u8>> {
    let v = item(c, i);
    let t = v.t();
    let numeric = matches!(-t, KG | KH | KI | KJ | KE | KF);
    if (numeric || t == -KB) && is_null_atom(&v)? {
        return Ok(b"<Cell/>".to_vec());
    }
    let s = cell(cx, c, i, b" ")?;
    Ok(match -t {
        KB => data("Boolean", &s[..1]),
        _ if numeric && s.iter().all(|b| b.is_ascii_digit() || b"-.e+".contains(b)) => {
            data("Number", &s)
        }
        _ => text_cell(&s),
    })
}

fn is_null_atom(v: &K) -> Result<bool> {
    Ok(crate::q::prims::compare::null(v.clone())?.g() != 0)
}

fn text_cell(s: &[u8]) -> Vec<u8> {
    data("String", &xml_escape(s))
}

fn data(kind: &str, s: &[u8]) -> Vec<u8> {
    [
        b"<Cell><Data ss:Type=\"".as_slice(),
        kind.as_bytes(),
        b"\">",
        s,
        b"</Data></Cell>",
    ]
    .concat()
}

/// Text for an attribute value: XML-escaped, quotes too.
fn attribute(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in xml_escape(s) {
        if c == b'"' {
            out.extend_from_slice(b"&quot;");
        } else {
            out.push(c);
        }
    }
    out
}
