//! The keywords that need the evaluator (they apply functions, read or write globals, or
//! print): `builtins` (`@ .` trap, `value set eval parse system show`, `-n!`), `parsetree`
//! (parse trees as q values), `tables` (`insert upsert`, by-name table updates), `enums`
//! (`` `d$x ``, `` `d?x ``), `views` (`v::expr`), `ipc` (`hopen hclose`, applying a handle),
//! `lambdaparts` (`value` of a lambda).

pub mod builtins;
pub mod enums;
pub mod ipc;
pub mod lambdaparts;
pub mod parsetree;
pub mod replaced;
pub mod tables;
pub mod views;
