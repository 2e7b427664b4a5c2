//! The calling thread's stack bounds, so the evaluator can stop deep recursion with `'stack`
//! before the thread overflows, whatever stack size the host gave the thread.

/// The lowest usable address of the current thread's stack (stacks grow down), if the platform
/// reports it.
pub fn stack_low() -> Option<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: pthread_attr_t is plain data that pthread_getattr_np fills for the calling
        // thread; it is destroyed after use, and the out-pointers are valid locals.
        unsafe {
            let mut attr: libc::pthread_attr_t = std::mem::zeroed();
            if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
                return None;
            }
            let mut addr: *mut libc::c_void = std::ptr::null_mut();
            let mut size: libc::size_t = 0;
            let rc = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
            libc::pthread_attr_destroy(&mut attr);
            if rc != 0 || addr.is_null() {
                return None;
            }
            Some(addr as usize)
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

thread_local! {
    static LOW: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// The current thread's lowest stack address (looked up once per thread), or 0 if unknown.
pub fn thread_low() -> usize {
    LOW.with(|c| match c.get() {
        Some(v) => v,
        None => {
            let v = stack_low().unwrap_or(0);
            c.set(Some(v));
            v
        }
    })
}

/// How many bytes of the current thread's stack are left below the caller's frame
/// (`usize::MAX` if the bounds are unknown).
#[inline(never)]
pub fn left() -> usize {
    let low = thread_low();
    let marker = 0u8;
    let here = std::hint::black_box(&marker) as *const u8 as usize;
    if low == 0 {
        usize::MAX
    } else {
        here.saturating_sub(low)
    }
}
