//! `k`, `knk`, `vak`, `vaknk`: exported as naked jumps into the C shim (src/shim/variadic.c),
//! which reads the variable arguments. A jump leaves every argument register and the stack as
//! the host set them, so the shim sees the host's call exactly.

extern "C" {
    fn libq_shim_k();
    fn libq_shim_vak();
    fn libq_shim_knk();
    fn libq_shim_vaknk();
}

macro_rules! forward {
    ($(#[$doc:meta])* $name:ident => $target:ident) => {
        $(#[$doc])*
        // SAFETY: the body is a single tail jump to a C function with the same signature, so
        // the naked function needs no prologue and preserves the caller's frame.
        #[unsafe(naked)]
        #[no_mangle]
        pub extern "C" fn $name() {
            #[cfg(target_arch = "x86_64")]
            core::arch::naked_asm!("jmp {}", sym $target);
            #[cfg(target_arch = "aarch64")]
            core::arch::naked_asm!("b {}", sym $target);
        }
    };
}

forward!(
    /// `K k(I h, const S s, ...)`: evaluate locally (h = 0) or on a connection.
    k => libq_shim_k
);
forward!(
    /// `K vak(I h, const S s, va_list)`.
    vak => libq_shim_vak
);
forward!(
    /// `K knk(I n, ...)`: a general list of `n` objects (taken).
    knk => libq_shim_knk
);
forward!(
    /// `K vaknk(I n, va_list)`.
    vaknk => libq_shim_vaknk
);
