//! Shared objects loaded at run time (`dlopen`): `2:` loads a kdb+ C extension's functions,
//! and compression finds zlib this way, as kdb+ does, so the library itself links neither.

use std::ffi::{c_void, CStr, CString};

/// A loaded shared object. Never closed: functions taken from it may live as long as the
/// process (kdb+ keeps them too).
#[derive(Clone, Copy, Debug)]
pub struct Library(usize);

/// The loader's text for the last failure.
fn last_error() -> String {
    // SAFETY: dlerror returns null or a NUL-terminated string valid until the next dl call on
    // this thread; it is copied at once.
    let p = unsafe { libc::dlerror() };
    if p.is_null() {
        return String::new();
    }
    // SAFETY: p is a live C string (above).
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

impl Library {
    /// Loads `path` (a path, or a name the loader searches for); the loader's message on
    /// failure.
    pub fn open(path: &[u8]) -> Result<Library, String> {
        let c = CString::new(path).map_err(|_| "bad path".to_string())?;
        // SAFETY: c is a NUL-terminated path; RTLD_NOW resolves everything up front so a
        // missing symbol fails here, not in the middle of a call.
        let h = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL) };
        if h.is_null() {
            return Err(last_error());
        }
        Ok(Library(h as usize))
    }

    /// The address of symbol `name`; the loader's message when it has none.
    pub fn symbol(&self, name: &[u8]) -> Result<*const c_void, String> {
        let c = CString::new(name).map_err(|_| "bad name".to_string())?;
        // SAFETY: the handle came from dlopen and is never closed; c is NUL-terminated.
        let p = unsafe { libc::dlsym(self.0 as *mut c_void, c.as_ptr()) };
        if p.is_null() {
            return Err(last_error());
        }
        Ok(p.cast_const())
    }
}
