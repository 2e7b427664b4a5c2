//! Reading the golden vectors in `shared/vectors`, shared by the wire test binaries.
#![allow(dead_code)]

use std::path::PathBuf;

/// `$LIBQ_SHARED`, else `shared/` beside the repository (as CI clones it), else `/work/shared`.
pub fn shared_dir() -> PathBuf {
    let candidates = [
        std::env::var_os("LIBQ_SHARED").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")),
        Some(PathBuf::from("/work/shared")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("vectors/README.md").is_file())
        .expect("shared/vectors not found: set LIBQ_SHARED")
}

pub fn read(rel: &str) -> String {
    let path = shared_dir().join("vectors").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim();
    let s = s.strip_prefix("0x").unwrap_or(s);
    assert!(s.len().is_multiple_of(2), "odd hex length: {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A payload with qPython's header: little-endian, `flags` in byte 2, total length.
pub fn with_header(flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut m = vec![1, 0, flags, 0];
    m.extend_from_slice(&((payload.len() + 8) as u32).to_le_bytes());
    m.extend_from_slice(payload);
    m
}

/// (expression, full message) pairs of a qPython `.out` file.
pub fn qpython(file: &str, flags: u8) -> Vec<(String, Vec<u8>)> {
    let text = read(file);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len().is_multiple_of(2), "{file}: odd line count");
    lines
        .chunks(2)
        .map(|p| (p[0].to_string(), with_header(flags, &unhex(p[1]))))
        .collect()
}

/// (name, expression, full message) rows of a TSV file, skipping `#` comments.
pub fn tsv(file: &str) -> Vec<(String, String, Vec<u8>)> {
    read(file)
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "{file}: {l}");
            (cols[0].to_string(), cols[1].to_string(), unhex(cols[2]))
        })
        .collect()
}

/// Every golden message, compressed ones included.
pub fn all_messages() -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = qpython("qpython/QExpressions3.out", 0)
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    all.extend(
        qpython("qpython/QCompressedExpressions3.out", 1)
            .into_iter()
            .map(|(_, m)| m),
    );
    let tables = [
        "kxdocs/serialization_examples.tsv",
        "kdbgo/decode_test_vectors.tsv",
        "compressed/compressed_messages.tsv",
    ];
    for f in tables {
        all.extend(tsv(f).into_iter().map(|(_, _, m)| m));
    }
    all
}

/// Whether `bytes` is one whole uncompressed message the network decoder reads (the C API's
/// `okx`, libe.so's checks, is `q::wire::capi::okx`).
pub fn decodes(bytes: &[u8]) -> bool {
    bytes.get(2) == Some(&0) && q::wire::d9(bytes).is_ok()
}
