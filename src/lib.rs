//! libq-rs: a binary-compatible replacement for KX's kdb+ libraries.
//!
//! Layers, bottom up (see DESIGN.md): `obj` (the K object), `ffi` (the exported k.h API).
//! Serialization (`wire`), networking (`net`), the owner thread (`owner`) and the interpreter
//! (`q`) sit between them as they land.

pub mod ffi;
pub mod obj;
