//! Evaluation: the tree walker (`walk`: names, assignment, control, `'stack`) and application,
//! everything that runs a function or indexes a value.
//!
//! - `debug` (error locations, suspending into the debugger, backtraces), `text` (text run by
//!   `value` or read by `parse` as a level of its own);
//! - `apply` (functions, projections, compositions, values indexed), `index`, `iter` (the six
//!   iterators), `amend` (`@`/`.` amend and `x[i]:y`), `append` (`x,:y`), `pattern` (pattern
//!   assignment), `lambda` (parsed bodies by source text), `peach` (secondary threads);
//! - `shown` (the text q shows for keywords it defines in q),
//! - `verbs` (primitive function values by kdb+ code), `atoms` (atom type codes for patterns),
//!   `fast` (two long or float atoms without dispatch), `known` (functions read from globals,
//!   kept while no global changes), `values` (item helpers, typed nulls, truth), `stack` (the native stack budget), `call`
//!   (the running call: interrupts and timeouts, `'stop`), `stop` (long primitives checking
//!   it every so many items).

pub mod amend;
pub mod append;
pub mod apply;
pub mod atoms;
pub mod call;
pub mod debug;
pub mod fast;
pub mod index;
pub mod iter;
pub mod known;
pub mod lambda;
pub mod pattern;
pub mod peach;
pub mod restricted;
pub mod shown;
pub mod stack;
pub mod stop;
pub mod text;
pub mod values;
pub mod verbs;
pub mod walk;

pub use walk::{Ctx, Flow, Frame, R};
