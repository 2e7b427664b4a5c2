//! Builds the C shim for the variadic exports, sets the SONAME, and regenerates include/k.h
//! from the exported functions (CI fails if the committed header differs from the result).

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/shim/variadic.c");
    cc::Build::new()
        .file("src/shim/variadic.c")
        .warnings(true)
        .extra_warnings(true)
        .compile("libq_shim");
    // The engine lock's owner side uses plain asm stores, which ThreadSanitizer cannot see;
    // its instrumented build uses atomic stores instead.
    println!("cargo::rustc-check-cfg=cfg(libq_tsan)");
    if std::env::var("CARGO_ENCODED_RUSTFLAGS").is_ok_and(|f| f.contains("sanitizer=thread")) {
        println!("cargo:rustc-cfg=libq_tsan");
    }
    // Hosts link against "libq.so", whatever the file is called on disk.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libq.so");
    // The q console exports k.h's functions, as kdb+'s q does, so C extensions loaded with
    // `2:` find them (tests load extensions too).
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic");
    println!("cargo:rustc-link-arg-tests=-Wl,--export-dynamic");
    // Calls inside the library bind to its own functions: a host that loaded KX's libq or libe
    // first (RTLD_GLOBAL) must not route the shim's ktn/r0 (knk, k) to KX's allocator. The
    // library exports functions only, so -Bsymbolic binds exactly what -Bsymbolic-functions
    // would, and zig's linker (the glibc 2.17 release build, scripts/build-release.sh) takes it.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-Bsymbolic");

    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=include/k_prelude.h");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    generate_header();
}

fn generate_header() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&dir);
    let mut config =
        cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml parses");
    let prelude =
        std::fs::read_to_string(dir.join("include/k_prelude.h")).expect("prelude readable");
    config.after_includes = Some(prelude);
    let mut generated = Vec::new();
    match cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
    {
        Ok(bindings) => bindings.write(&mut generated),
        Err(e) => panic!("generating include/k.h: {e}"),
    };
    let path = dir.join("include/k.h");
    // Rewrite only on change so the header's timestamp (and dependent C builds) stay put.
    if std::fs::read(&path).ok().as_deref() != Some(&generated[..]) {
        std::fs::write(&path, &generated).expect("include/k.h writable");
    }
}
