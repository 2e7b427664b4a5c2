//! libq-rs: a binary-compatible replacement for KX's kdb+ libraries.
//!
//! Layers, bottom up (see DESIGN.md): `obj` (the K object), `wire` (serialization), `q` (the
//! interpreter), `owner` (the owner thread and trampolines), `net` (IPC), and `ffi` (the
//! exported k.h API, a thin skin over the rest).

pub mod ffi;
pub mod net;
pub mod obj;
pub mod owner;
pub mod q;
pub mod wire;
