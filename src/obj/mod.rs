//! The K object: layout, allocation, reference counts, symbols, errors (and the thread's
//! pending error), code objects (host C functions as q functions), vectors mapped from files
//! (`mapped`) and calendar helpers. Unsafe code lives here, in `src/sys` and in the argument
//! conversion of `src/ffi`, nowhere else.

pub mod alloc;
pub mod code;
pub mod counts;
pub mod error;
pub mod k;
pub mod layout;
pub mod mapped;
pub mod pending;
pub mod sym;
pub mod table;
pub mod temporal;
pub mod usage;
pub mod workspace;

pub use error::{Error, Result};
pub use k::{Guid, Item, K};
pub use layout::*;
pub use sym::Sym;
