//! The built-in namespaces the interpreter provides itself: `dotq` (`.Q` utilities), `doth`
//! (`.h`: markup, delimited text, HTTP), `dotj` (`.j`: JSON), `excel` (`.h.ed`: Excel workbooks), `http` (`.Q.hg .Q.hp .Q.gz`),
//! `q_names` (`.q` in kdb+'s order).

pub mod doth;
pub mod dotj;
pub mod dotq;
pub mod excel;
pub mod http;
pub mod q_names;
