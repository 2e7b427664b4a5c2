//! The language: q source text to a tree. `script` splits a script into statements as q reads
//! it, `lex` makes tokens (q's spacing rules decide here), `literal` reads numbers, temporals
//! and vectors of them, `parse` builds the right-to-left tree of `ast`.

pub mod ast;
pub mod lex;
pub mod literal;
pub mod parse;
pub mod script;
