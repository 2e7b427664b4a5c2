//! The session: `engine` (globals and settings; the safe API the C exports, the console and
//! the tests call), `startup` (q's command line, `k`, `dot`), `system` (backslash commands),
//! `console` (when an entry is complete, and what q prints for it).

pub mod console;
pub mod engine;
pub mod startup;
pub mod system;
