//! The K object: layout, allocation, reference counts, symbols, errors and calendar helpers.
//! The only place besides `src/ffi` where unsafe code may live.

pub mod alloc;
pub mod error;
pub mod k;
pub mod layout;
pub mod sym;
pub mod table;
pub mod temporal;

pub use error::{Error, Result};
pub use k::{Guid, Item, K};
pub use layout::*;
pub use sym::Sym;
