//! The session: `engine` (globals and settings; the safe API the C exports, the console and
//! the tests call), `startup` (q's command line, `k`, `dot`), `system` (backslash commands), `listen` (`\p`, the timer `\t`, `\T`),
//! `console` (when an entry is complete, and what q prints for it).

pub mod console;
pub mod engine;
pub mod listen;
pub mod startup;
pub mod system;
