//! The session: `engine` (globals and settings; the safe API the C exports, the console and
//! the tests call), `startup` (q's command line, `k`, `dot`), `system` (backslash commands),
//! `listen` (`\p`, the timer `\t`, `\T`), `console` (when an entry is complete, and what q
//! prints for it), `dotz` (the clock and the process as `.z` shows them), `repl` (the
//! interactive session), `debugger` (the `q))` prompt), `input` (lines from a terminal or a
//! pipe), `lineedit` (the terminal line editor), `timing` (`\t:n`), `scripts` (running a
//! script, with file and line in error locations).

pub mod console;
pub mod debugger;
pub mod dotz;
pub mod engine;
pub mod input;
pub mod lineedit;
pub mod listen;
pub mod repl;
pub mod scripts;
pub mod startup;
pub mod system;
pub mod timing;
pub mod workspace;
