//! The calling thread's identity as one machine word, read without a function call where the
//! architecture allows: the thread pointer (x86-64 `%fs:0`, the TCB's pointer to itself;
//! AArch64 `tpidr_el0`). It is non-zero and unique among live threads, which is all the owner
//! check needs. Other architectures fall back to `pthread_self`.

/// This thread's identity (never 0).
#[inline(always)]
pub fn current() -> usize {
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    {
        let tp: usize;
        // SAFETY: on x86-64 Linux the first word of the thread control block, at %fs:0, holds
        // the block's own address (the TLS ABI requires it); reading it has no side effects.
        unsafe {
            std::arch::asm!("mov {}, qword ptr fs:[0]", out(reg) tp, options(nostack, readonly, preserves_flags, pure))
        };
        tp
    }
    #[cfg(all(target_arch = "aarch64", target_os = "linux"))]
    {
        let tp: usize;
        // SAFETY: reading the EL0 thread-pointer register has no side effects.
        unsafe {
            std::arch::asm!("mrs {}, tpidr_el0", out(reg) tp, options(nostack, nomem, preserves_flags, pure))
        };
        tp
    }
    #[cfg(not(all(
        any(target_arch = "x86_64", target_arch = "aarch64"),
        target_os = "linux"
    )))]
    {
        // SAFETY: pthread_self has no preconditions.
        (unsafe { libc::pthread_self() }) as usize
    }
}
