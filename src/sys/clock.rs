//! The wall clock and the local time zone: what q's `.z.p`/`.z.P` family reads.

/// Nanoseconds since 1970.01.01 UTC (the real-time clock; it may step).
pub fn now_unix_ns() -> i64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid, writable timespec; CLOCK_REALTIME always exists.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) };
    debug_assert_eq!(rc, 0, "clock_gettime(CLOCK_REALTIME)");
    ts.tv_sec * 1_000_000_000 + ts.tv_nsec
}

/// The local time zone's offset from UTC, in seconds, at `unix_secs` (from `TZ`, or the
/// system's zone when it is unset), as `localtime_r` reports it; 0 if it cannot say.
pub fn local_offset_secs(unix_secs: i64) -> i64 {
    let t: libc::time_t = unix_secs as libc::time_t;
    // SAFETY: tm is plain data; all-zero is a valid value for it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call; localtime_r writes only into tm. It reads
    // TZ from the environment, which `env::set` changes only under Rust's environment lock
    // (see env.rs for the remaining caveat).
    let r = unsafe { libc::localtime_r(&t, &mut tm) };
    if r.is_null() {
        return 0;
    }
    tm.tm_gmtoff as i64
}

/// Re-reads `TZ` (after `setenv`), so local times follow the new zone.
pub fn reload_zone() {
    extern "C" {
        fn tzset();
    }
    // SAFETY: tzset takes no arguments; it re-reads TZ into libc's zone state.
    unsafe { tzset() };
}
