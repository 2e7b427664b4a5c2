fn main() {
    println!("cargo:rerun-if-changed=src/shim/variadic.c");
    cc::Build::new().file("src/shim/variadic.c").warnings(true).extra_warnings(true).compile("libq_shim");
    // Hosts link against "libq.so", whatever the file is called on disk.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libq.so");
}
