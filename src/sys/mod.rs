//! The operating system and the machine, under every other layer: each system call, libc call
//! and raw pointer to foreign code the library makes is here, behind a safe function with its
//! `// SAFETY:` note. Nothing here knows a K object or the engine.
//!
//! - threads: `futex` (wait and wake on a word), `thread_pointer` (the thread's identity in one
//!   load), `stack` (how much native stack is left), `slot` (a closure run on another thread,
//!   with no allocation), `handoff` (whether a waiter should spin, yield or sleep, from the
//!   CPUs both sides of a hand-off run on), `membarrier` (an asymmetric barrier), `engine_lock` (the owner's
//!   fence-free write side and everyone else's read and exclusive sides), `pool` (secondary
//!   threads that run borrowed jobs), `tsan`
//!   (ThreadSanitizer hand-off annotations);
//! - memory: `memory` (C allocator blocks and anonymous mappings), `mapping` (files mapped
//!   privately, as vectors on disk are), `reserve` (the Rust allocator, with a reserve so
//!   running out of memory is `'wsfull`, not an abort);
//! - files: `file` (whole-file writes by temporary name and rename, appends, locks, listing,
//!   the OS's error texts);
//! - descriptors: `event_fd` (a doorbell a poll loop can wait on), `poll` (any set of
//!   descriptors), `socket` (send without SIGPIPE, shutdown, poll, reads and writes that never
//!   block), `fd` (descriptors a host hands over);
//! - the process: `errno`, `process` (exit hooks), `shell` (running shell commands), `clock`
//!   (wall clock, local zone), `env` (the environment), `host` (host name, user, cores),
//!   `terminal` (raw mode for the line editor), `signals` (the SIGINT handler: Ctrl-C stops
//!   the running call), `sigterm` (SIGTERM rings a doorbell the console's loop exits on),
//!   `fork` (what each layer does around a fork), `cancel` (thread cancellation held off while
//!   a call is in the library), `stdio` (what q prints, through C's standard streams);
//! - foreign code: `host_fn` (calling a host's `K f(K, ...)` by address), `dl` (shared objects
//!   loaded at run time), `zlib` and `codecs` (found that way, for gzip, snappy, lz4 and zstd
//!   file compression).

pub mod cancel;
pub mod clock;
pub mod codecs;
pub mod dl;
pub mod engine_lock;
pub mod env;
pub mod errno;
pub mod event_fd;
pub mod fd;
pub mod file;
pub mod fork;
pub mod futex;
pub mod handoff;
pub mod host;
pub mod host_fn;
pub mod mapping;
pub mod membarrier;
pub mod memory;
pub mod poll;
pub mod pool;
pub mod process;
pub mod reserve;
pub mod shell;
pub mod signals;
pub mod sigterm;
pub mod slot;
pub mod socket;
pub mod stack;
pub mod stdio;
pub mod terminal;
pub mod thread_pointer;
pub mod tsan;
pub mod zlib;
