//! ThreadSanitizer annotations for the slot hand-offs. This library is not built with TSan,
//! so TSan cannot see the happens-before that our atomics give between a caller and the owner;
//! when a TSan-instrumented host is running (its runtime exports `__tsan_acquire` and
//! `__tsan_release`), the slot tells it about each hand-off. Otherwise these are a load and a
//! branch.

use std::ffi::c_void;
use std::sync::OnceLock;

type Annotate = unsafe extern "C" fn(*mut c_void);

struct Hooks {
    acquire: Annotate,
    release: Annotate,
}

static HOOKS: OnceLock<Option<Hooks>> = OnceLock::new();

fn lookup(name: &std::ffi::CStr) -> Option<Annotate> {
    // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name only looks the symbol up.
    let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    // SAFETY: when present, these TSan runtime entry points have exactly this signature.
    (!p.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, Annotate>(p) })
}

fn hooks() -> Option<&'static Hooks> {
    HOOKS
        .get_or_init(|| {
            Some(Hooks {
                acquire: lookup(c"__tsan_acquire")?,
                release: lookup(c"__tsan_release")?,
            })
        })
        .as_ref()
}

/// Everything this thread did so far happens before a later `acquire(addr)`.
#[inline]
pub fn release<T>(addr: &T) {
    if let Some(h) = hooks() {
        // SAFETY: TSan only uses the address as a key.
        unsafe { (h.release)(addr as *const T as *mut c_void) };
    }
}

/// What the thread that called `release(addr)` did happens before what this thread does next.
#[inline]
pub fn acquire<T>(addr: &T) {
    if let Some(h) = hooks() {
        // SAFETY: as in `release`.
        unsafe { (h.acquire)(addr as *const T as *mut c_void) };
    }
}
