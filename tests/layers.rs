//! The layering rules of DESIGN.md, checked on the source text: which layer may name which
//! (`crate::x`, `super::` paths that climb out of a layer, `crate::{x, y}`), where `unsafe` may
//! appear, and that every libc call goes through `src/sys`.
//!
//! Changing `ALLOWED` is a design decision: record it in DESIGN.md too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each layer and the layers below it that it may name. Arrows point down: `ffi` over
/// `owner`, `owner` over `q` and `net`, all over `wire`, `obj` and `sys`.
const ALLOWED: &[(&str, &[&str])] = &[
    ("sys", &[]),
    ("obj", &["sys"]),
    ("wire", &["obj", "sys"]),
    ("net", &["wire", "obj", "sys"]),
    ("q", &["net", "wire", "obj", "sys"]),
    ("owner", &["net", "obj", "sys"]),
    ("ffi", &["owner", "q", "net", "wire", "obj", "sys"]),
];

/// Layers whose files may hold `unsafe` code.
const UNSAFE_LAYERS: &[&str] = &["sys", "obj", "ffi"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a source file under `src/`: `src/q/eval/apply.rs` -> [q, eval, apply],
/// `src/q/eval/mod.rs` -> [q, eval].
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file with comments, string and char literals blanked out (so a word in a doc
/// comment or a message is not taken for code).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            i = end;
            out.push(' ');
        } else if b[i] == b'"' {
            // Raw strings are rare in this tree; plain strings with escapes are handled.
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // A char literal ('x' or '\n'); lifetimes ('a) are left alone.
            let end = text[i + 1..].find('\'').map_or(b.len(), |e| i + 1 + e + 1);
            i = end;
            out.push_str("' '");
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The top-level modules a file names: `crate::x`, `crate::{x, y::z}`, and `super::` chains
/// that climb to the crate root.
fn named_layers(file: &Path, code: &str) -> BTreeSet<String> {
    let depth = module_path(file).len();
    let b = code.as_bytes();
    let mut names = BTreeSet::new();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !is_ident(b[i - 1]) && b[i - 1] != b':';
        if boundary && code[i..].starts_with("crate::") {
            i += "crate::".len();
            top_names(code, i, &mut names);
        } else if boundary && code[i..].starts_with("super::") {
            let mut supers = 0;
            while code[i..].starts_with("super::") {
                supers += 1;
                i += "super::".len();
            }
            // A mod.rs-less file's `super` is its parent; climbing `depth` levels reaches the
            // root (module_path already dropped `mod`).
            if supers >= depth {
                top_names(code, i, &mut names);
            }
        } else {
            i += 1;
        }
    }
    names
}

/// The first path segment(s) at `i`: one name, or each name in a `{...}` group.
fn top_names(code: &str, i: usize, names: &mut BTreeSet<String>) {
    let rest = &code[i..];
    if let Some(group) = rest.strip_prefix('{') {
        let inner = &group[..group.find('}').unwrap_or(group.len())];
        for item in inner.split(',') {
            let name: String = item
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    } else {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.insert(name);
        }
    }
}

fn has_word(code: &str, word: &str) -> bool {
    code.match_indices(word).any(|(i, _)| {
        let b = code.as_bytes();
        (i == 0 || !is_ident(b[i - 1])) && b.get(i + word.len()).is_none_or(|&c| !is_ident(c))
    })
}

/// `libc::name(`: a call (constants such as `libc::EINVAL` are data, allowed anywhere).
fn calls_libc(code: &str) -> bool {
    code.match_indices("libc::").any(|(i, _)| {
        let rest = &code[i + "libc::".len()..];
        let name_len = rest.bytes().take_while(|&c| is_ident(c)).count();
        name_len > 0 && rest[name_len..].trim_start().starts_with('(')
    })
}

struct Findings(Vec<String>);

impl Findings {
    fn check(self) {
        assert!(
            self.0.is_empty(),
            "layering rules broken:\n  {}",
            self.0.join("\n  ")
        );
    }
}

fn layer_files() -> Vec<(String, PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|f| {
            let layer = module_path(&f).first()?.clone();
            ALLOWED.iter().any(|(l, _)| *l == layer).then(|| {
                let code = code_only(&std::fs::read_to_string(&f).unwrap());
                (layer, f, code)
            })
        })
        .collect()
}

#[test]
fn each_layer_names_only_the_layers_below_it() {
    let mut found = Findings(Vec::new());
    for (layer, file, code) in layer_files() {
        let allowed = ALLOWED.iter().find(|(l, _)| *l == layer).unwrap().1;
        for name in named_layers(&file, &code) {
            let is_layer = ALLOWED.iter().any(|(l, _)| *l == name);
            if is_layer && name != layer && !allowed.contains(&name.as_str()) {
                found
                    .0
                    .push(format!("{} names crate::{name}", file.display()));
            }
        }
    }
    found.check();
}

#[test]
fn unsafe_code_lives_only_in_sys_obj_and_ffi() {
    let mut found = Findings(Vec::new());
    for (layer, file, code) in layer_files() {
        if !UNSAFE_LAYERS.contains(&layer.as_str()) && has_word(&code, "unsafe") {
            found.0.push(format!("{} has unsafe code", file.display()));
        }
    }
    found.check();
}

#[test]
fn libc_is_called_only_from_sys() {
    let mut found = Findings(Vec::new());
    for (layer, file, code) in layer_files() {
        if layer != "sys" && calls_libc(&code) {
            found.0.push(format!("{} calls libc", file.display()));
        }
    }
    found.check();
}

/// The checker itself: each rule catches what it is for.
#[test]
fn the_checks_see_what_they_look_for() {
    let q_file = src().join("q/eval/apply.rs");
    let code = code_only("use crate::ffi::x;\nlet s = \"crate::owner\"; // crate::net\n");
    assert_eq!(
        named_layers(&q_file, &code),
        BTreeSet::from(["ffi".to_string()])
    );
    let code = code_only("use crate::{obj, sys::futex};\nsuper::super::super::ffi::k();");
    assert_eq!(
        named_layers(&q_file, &code),
        ["ffi", "obj", "sys"].map(String::from).into()
    );
    // Two supers from q/eval/apply.rs reach `q`, not the crate root.
    assert!(named_layers(&q_file, &code_only("super::super::ffi::k();")).is_empty());
    assert!(has_word(&code_only("unsafe { f() }"), "unsafe"));
    assert!(!has_word(
        &code_only("// unsafe\nlet not_unsafe = 1;"),
        "unsafe"
    ));
    assert!(calls_libc(&code_only("libc::close (fd)")));
    assert!(!calls_libc(&code_only("Err(libc::EINVAL)")));
}
