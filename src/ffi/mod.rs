//! Every exported C function of k.h. Each export is thin: it converts its arguments (all
//! pointer-to-reference conversion is in `boundary`), calls one function of the safe layers,
//! and maps the result back, inside a panic boundary.
//!
//! Files: `types` (k.h's C type names), `boundary` (panic guard, pending error), `errors`
//! (`krr orr ee`), `atoms` and `lists` (constructors), `joins`, `symbols`, `misc`, `variadic`
//! (the `...` entry points, forwarded to the C shim), the owner-bound entry points (`engine`),
//! serialization (`wire`), the IPC client (`net`) and the owner thread's exports (`owner`).
//! Nothing here makes a system call of its own: that is `crate::sys`.

// Exports are called from C with k.h's contracts (documented on each); marking them `unsafe`
// would change nothing for their callers.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

pub mod atoms;
pub mod boundary;
pub mod engine;
pub mod errors;
pub mod joins;
pub mod lists;
pub mod misc;
pub mod net;
pub mod owner;
pub mod symbols;
pub mod types;
pub mod variadic;
pub mod wire;
