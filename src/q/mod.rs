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
//! Parts, each a folder, bottom up:
//!
//! - `lang`: source text to a tree (`script`, `lex`, `literal`, `ast`, `parse`);
//! - `prims`: the primitive verbs and keywords over data, a table keyed by name and code;
//! - `eval`: the tree walker and everything that applies a function or indexes a value;
//! - `keywords`: the keywords that need the evaluator (`value set eval parse system`, `@ .`
//!   trap, `insert upsert`, enumerations, views, `hopen`);
//! - `sql`: qSQL, its functional forms and window joins;
//! - `namespaces`: `.Q`, `.h`, `.j`;
//! - `disk`: files and databases in kdb+'s formats (`set get`, splayed and partitioned tables,
//!   logs, text and binary files, compression, scripts and shell commands);
//! - `fmt`: console output and `.Q.s`;
//! - `server`: the kdb+ server's handlers (`.z.pg .z.ps .z.ph ...`), password files, HTTP and
//!   WebSocket answers, the connection an evaluation answers (`.z.w`);
//! - `session`: the engine's state and entry points, the command line, system commands, the
//!   console.
//!
//! Lambda values carry item 2, their parameter names (a symbol vector), after kdb+'s two.

pub mod disk;
pub mod eval;
pub mod fmt;
pub mod keywords;
pub mod lang;
pub mod namespaces;
pub mod prims;
pub mod server;
pub mod session;
pub mod sql;

pub use session::console;
pub use session::engine::Engine;
