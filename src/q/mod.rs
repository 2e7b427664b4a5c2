//! The q interpreter: lexer -> parser (AST) -> evaluator over the same `K` objects the C API
//! uses, so values cross the boundary without conversion.
//!
//! Shared conventions (every part of the interpreter, the wire layer and the formatter rely on
//! them):
//!
//! - Primitive functions are atoms: type 101 (unary), 102 (binary) or 103 (ternary) with
//!   `g` holding kdb+'s own primitive code, so they serialize exactly as kdb+'s do. `(::)` is
//!   101 with code 0. The elided argument of a projection is 101 with code 255.
//! - A lambda (100) is a list-shaped object: item 0 the source text (char vector, exactly as
//!   written, `{` to `}`), item 1 the namespace symbol (`` ` `` for root), further items are the
//!   interpreter's own (compiled form in a foreign object, parameter names, ...).
//! - A projection (104) holds the function then its arguments (elided ones as above); a
//!   composition (105) holds its functions; an iterator-derived function (106-111) holds the
//!   function it derives from.
//! - Errors are `crate::obj::Error`; evaluation returns `crate::obj::Result<K>`.
//!
//! Parts: `prims` (the primitive verbs and keywords over data, a table keyed by name and
//! code), `fmt` (console output and `.Q.s`), and the evaluator's own modules:
//!
//! - pipeline: `literal` (numbers and temporals), `lex` (tokens; spacing rules), `ast`, `parse`
//!   (right-to-left trees), `eval` (the tree walker, names, assignment, control, `'stack`);
//! - application: `apply` (functions, projections, compositions, values indexed), `index`,
//!   `iter` (the six iterators), `amend` (`@`/`.` amend and `x[i]:y`), `verbs` (primitive
//!   values by kdb+ code), `lambda` (parsed bodies by source text), `values` (item helpers);
//! - keywords that need the evaluator: `builtins` (`@ .` trap, `value set eval parse system
//!   show`, `-n!`), `parsetree`, `sql` (qSQL and its functional forms), `tables` (`insert
//!   upsert fby`, by-name updates), `windowjoin` (`wj wj1`), `enums`, `dotq` (`.Q`
//!   utilities), `doth` (`.h`: markup, delimited text, HTTP), `dotj` (`.j`: JSON), `views`
//!   (`v::expr`);
//! - the session: `engine` (globals and settings; the safe API the C exports call),
//!   `startup` (command line, `k`, `dot`), `system` (backslash commands), `script`, `console`.
//!
//! Lambda values carry item 2, their parameter names (a symbol vector), after kdb+'s two.

pub mod fmt;
pub mod prims;
pub mod stack;

pub mod amend;
pub mod append;
pub mod apply;
pub mod ast;
pub mod atoms;
pub mod builtins;
pub mod console;
pub mod doth;
pub mod dotj;
pub mod dotq;
pub mod engine;
pub mod enums;
pub mod eval;
pub mod index;
pub mod ipc;
pub mod iter;
pub mod lambda;
pub mod lex;
pub mod literal;
pub mod parse;
pub mod parsetree;
pub mod pattern;
pub mod script;
pub mod sql;
pub mod startup;
pub mod system;
pub mod tables;
pub mod values;
pub mod verbs;
pub mod views;
pub mod windowjoin;

pub use engine::Engine;
