//! Files mapped into memory, as kdb+ maps vectors on disk rather than reading them: private
//! (copy-on-write) mappings, so the few header bytes the engine writes in memory never reach
//! the file, and the pages of data are shared with the page cache until written.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::ptr::NonNull;

/// The system's page size.
pub fn page_size() -> usize {
    // SAFETY: sysconf takes a constant and no pointer.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 {
        n as usize
    } else {
        4096
    }
}

/// A region of `lead + len` bytes: `lead` bytes (a multiple of the page size) of zeroed
/// anonymous memory, then the first `len` bytes of `file`, mapped privately and writable.
/// Unmap the whole region with `memory::unmap(start, lead + len)`.
pub fn map_file_after(file: &File, len: usize, lead: usize) -> io::Result<NonNull<u8>> {
    if len == 0 || !lead.is_multiple_of(page_size()) {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    let total = lead
        .checked_add(len)
        .ok_or_else(|| io::Error::from_raw_os_error(libc::ENOMEM))?;
    // SAFETY: a fresh anonymous private mapping with no address hint; checked for failure.
    let base = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            total,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if base == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: base..base+total is our own fresh mapping; MAP_FIXED replaces its tail (page
    // aligned, as lead is a multiple of the page size) with the file, which we hold open.
    let at = unsafe {
        libc::mmap(
            base.cast::<u8>().add(lead).cast(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_FIXED,
            file.as_raw_fd(),
            0,
        )
    };
    if at == libc::MAP_FAILED {
        let e = io::Error::last_os_error();
        // SAFETY: base is the region mapped above, not used by anyone.
        unsafe { libc::munmap(base, total) };
        return Err(e);
    }
    NonNull::new(base.cast()).ok_or_else(|| io::Error::from_raw_os_error(libc::ENOMEM))
}
