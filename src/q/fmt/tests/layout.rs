//! Rebuilds a value from the console text of a table or dictionary, for tests only: column
//! positions come from the header (or the `|` of a dictionary), each cell is read back as a
//! q literal (or taken as a symbol), and cells of one atom type become a vector, blanks being
//! its nulls. Printing the rebuilt value must give the text back, which checks the layout
//! (widths, padding, rules, matrices) against what kdb+ printed.

use super::literal::try_q;
use crate::obj::*;

pub fn rebuild(text: &str) -> Option<K> {
    let lines: Vec<&str> = text.lines().collect();
    let rule = lines.get(1)?;
    if !rule.is_empty()
        && rule.chars().all(|c| c == '-' || c == '|' || c == ' ')
        && rule.starts_with(['-', '|'])
    {
        if let Some(bar) = rule.find('|') {
            let split = |l: &str| -> (String, String) {
                let l = format!("{l:width$}", width = bar + 2);
                (l[..bar].to_string(), l[bar + 2..].to_string())
            };
            let (keys, vals): (Vec<String>, Vec<String>) = lines.iter().map(|l| split(l)).unzip();
            let k = table(&keys)?;
            let v = table(&vals)?;
            return Some(K::dict(k, v));
        }
        let all: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        return table(&all);
    }
    let bar = lines[0]
        .find("| ")
        .or_else(|| lines[0].ends_with('|').then(|| lines[0].len() - 1))?;
    let mut keys = Vec::new();
    let mut vals = Vec::new();
    for l in &lines {
        if l.len() < bar + 1 || &l[bar..bar + 1] != "|" {
            return None;
        }
        keys.push(cell(&l[..bar]));
        vals.push(cell(l.get(bar + 2..).unwrap_or("")));
    }
    Some(K::dict(column(keys), column(vals)))
}

/// A simple table from its header, rule and rows.
fn table(lines: &[String]) -> Option<K> {
    let header = &lines[0];
    let mut starts = Vec::new();
    let mut prev = b' ';
    for (i, &c) in header.as_bytes().iter().enumerate() {
        if c != b' ' && prev == b' ' {
            starts.push(i);
        }
        prev = c;
    }
    let names: Vec<Sym> = header.split_whitespace().map(Sym::new).collect();
    if names.len() != starts.len() {
        return None;
    }
    let mut cols = Vec::new();
    for (j, &s) in starts.iter().enumerate() {
        let end = starts.get(j + 1).map(|e| e - 1);
        let cells = lines[2..]
            .iter()
            .map(|l| {
                let text = match end {
                    Some(e) => l.get(s..e.min(l.len())).unwrap_or(""),
                    None => l.get(s..).unwrap_or(""),
                };
                cell(text)
            })
            .collect();
        cols.push(column(cells));
    }
    Some(K::table(K::dict(K::from_slice(KS, &names), K::list(cols))))
}

/// One cell: `None` when blank.
fn cell(text: &str) -> Option<K> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(try_q(t).unwrap_or_else(|| K::sym(Sym::new(t))))
}

/// Cells of one atom type make a vector (blanks its nulls); anything else a general list.
fn column(cells: Vec<Option<K>>) -> K {
    let types: Vec<i8> = cells.iter().flatten().map(K::t).collect();
    let t = types.first().copied().unwrap_or(-KS);
    if t < 0 && t != -UU && types.iter().all(|&u| u == t) {
        let mut v = K::vector(-t, 0);
        for c in &cells {
            push(&mut v, c.as_ref());
        }
        return v;
    }
    K::list(
        cells
            .into_iter()
            .map(|c| c.unwrap_or_else(|| K::sym(Sym::empty())))
            .collect(),
    )
}

fn push(v: &mut K, a: Option<&K>) {
    match (v.t(), a) {
        (KS, a) => v.push(a.map_or(Sym::empty(), K::s)),
        (KE, None) => v.push(NE),
        (KF | KZ, None) => v.push(NF),
        (KE, Some(a)) => v.push(a.e()),
        (KF | KZ, Some(a)) => v.push(a.f()),
        (KC, None) => v.push(b' '),
        (KB | KG | KC, a) => v.push(a.map_or(0, K::g)),
        (KH, a) => v.push(a.map_or(NH, K::h)),
        (KI | KM | KD | KU | KV | KT, a) => v.push(a.map_or(NI, K::i)),
        (_, a) => v.push(a.map_or(NJ, K::j)),
    }
}
