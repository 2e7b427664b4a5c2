//! libq-rs: a binary-compatible replacement for KX's kdb+ libraries.
//!
//! Layers, bottom up (see DESIGN.md): `sys` (the operating system), `obj` (the K object),
//! `wire` (serialization), `q` (the interpreter), `net` (IPC), `owner` (the owner thread and
//! trampolines), and `ffi` (the exported k.h API, a thin skin over the rest). Unsafe code lives
//! in `sys`, `obj` and the argument conversion of `ffi` only; `tests/layers.rs` checks both
//! rules.

pub mod ffi;
pub mod net;
pub mod obj;
pub mod owner;
pub mod q;
pub mod sys;
pub mod wire;
