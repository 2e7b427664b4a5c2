//! k.h's C type names, so every export's signature reads as it does in k.h.

use std::ffi::{c_char, c_int, c_void};

pub use crate::obj::layout::K0;

pub type I = c_int;
pub type J = i64;
pub type UJ = u64;
pub type H = i16;
pub type G = u8;
pub type E = f32;
pub type F = f64;
pub type C = c_char;
pub type S = *mut c_char;
pub type V = c_void;
pub type K = *mut K0;
/// A guid passed by value: `typedef struct{G g[16];}U;`.
pub type U = crate::obj::Guid;
