//! System commands: `\d \c \P \l \p \t \ts \v \f \a \e \T \\`, and `system "..."` (`\p`,
//! the timer `\t ms` and `\T` are in `listen`).

use super::engine::Engine;
use crate::obj::*;

/// Values the session keeps for system commands that only report or set them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionValues {
    /// `\o`: the local time's offset from UTC in hours; null for the system's own.
    pub utc_offset: i64,
    /// `\s`: secondary threads, and the most the command line (`-s`) allows.
    pub threads: i32,
    pub max_threads: i32,
    /// `\z`: 0 reads `mm/dd/yyyy` dates, 1 `dd/mm/yyyy`.
    pub date_order: i64,
    /// `\e`: what an error in a client request does (0: returns it, 1: suspends).
    pub error_trap: i32,
    /// `\S`: the random seed last set.
    pub seed: i32,
}

impl Default for SessionValues {
    fn default() -> Self {
        SessionValues {
            utc_offset: NJ,
            threads: 0,
            max_threads: 0,
            date_order: 0,
            error_trap: 0,
            seed: -314159,
        }
    }
}

fn ns_sym(ns: Sym) -> K {
    K::sym(if ns.is_empty() { Sym::new(".") } else { ns })
}

/// The command without a trailing comment (` / ...`): the console reads `\P  / default`
/// as `\P`. A slash that starts a path (`\cd /tmp`) is not a comment.
fn without_comment(cmd: &str) -> &str {
    let b = cmd.as_bytes();
    (1..b.len())
        .find(|&i| {
            b[i] == b'/'
                && b[i - 1].is_ascii_whitespace()
                && b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace())
        })
        .map_or(cmd, |i| &cmd[..i])
}

/// Whether namespace `ns` (`.x` or `.x.y`, without the trailing dot) holds anything: the
/// built-in ones always do.
fn namespace_exists(eng: &Engine, ns: &[u8]) -> bool {
    const BUILT_IN: &[&[u8]] = &[b".q", b".Q", b".h", b".j", b".o", b".z", b".m"];
    BUILT_IN.contains(&ns)
        || !eng.names_in(ns).is_empty()
        || eng
            .namespaces()
            .iter()
            .any(|n| ns.strip_prefix(b".") == Some(n.as_bytes()))
}

/// `\v` (variables), `\f` (functions) or `\a` (tables) of namespace `ns`, sorted; the
/// built-in `.h` has its own besides what the session defined.
fn names_of_kind(eng: &Engine, ns: &[u8], kind: &str) -> Vec<Sym> {
    let mut names: Vec<Sym> = eng
        .names_in(ns)
        .into_iter()
        .filter(|n| {
            let full = if ns.is_empty() {
                *n
            } else {
                super::engine::qualify(*n, Sym::new(ns))
            };
            let v = eng.get_global(full);
            match kind {
                "f" => v.is_some_and(|v| {
                    v.t() >= LAMBDA && v.t() != 112 && !crate::q::keywords::views::is_view(&v)
                }),
                "a" => v.is_some_and(|v| v.t() == XT || v.t() == XD && v.items()[0].t() == XT),
                _ => true,
            }
        })
        .collect();
    if ns == b".h" && kind != "a" {
        names.extend(crate::q::namespaces::doth::names(kind == "f"));
        names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        names.dedup();
    }
    names
}

/// `\o`, `\s`, `\z`, `\e`, `\S` and `\x`: settings the session keeps and reports.
fn session_value(eng: &Engine, name: &str, arg: &str) -> Result<K> {
    if name == "x" {
        // `\x .z.pi`: the handler reverts to the default.
        if !arg.starts_with(".z.") {
            return Err(Error::new(arg));
        }
        eng.take_global(Sym::new(arg))?;
        return Ok(K::identity());
    }
    let mut settings = eng.settings.lock();
    let v = &mut settings.session;
    if arg.is_empty() {
        return Ok(match name {
            "o" => K::long(v.utc_offset),
            "s" => K::int(v.threads),
            "z" => K::long(v.date_order),
            "e" => K::int(v.error_trap),
            _ => K::int(v.seed),
        });
    }
    let n: i64 = if arg == "0N" {
        NJ
    } else {
        arg.parse().map_err(|_| Error::type_())?
    };
    match name {
        "o" => v.utc_offset = n,
        // `\s 0N` reports the most secondary threads the command line allows.
        "s" if n == NJ => return Ok(K::int(v.max_threads)),
        "s" if (0..=i32::MAX as i64).contains(&n) => v.threads = n as i32,
        "z" if matches!(n, 0 | 1) => v.date_order = n,
        "e" if matches!(n, 0..=2) => v.error_trap = n as i32,
        "S" if n == NJ => return Ok(K::int(v.seed)),
        "S" if i32::try_from(n).is_ok() => {
            v.seed = n as i32;
            crate::q::prims::random::set_seed(n);
        }
        _ => return Err(Error::domain()),
    }
    Ok(K::identity())
}

/// Runs `\cmd` (the text after the backslash); the value the console shows.
pub fn command(eng: &Engine, cmd: &str) -> Result<K> {
    let cmd = without_comment(cmd.trim()).trim();
    let (name, arg) = match cmd.find(' ') {
        Some(p) => (&cmd[..p], cmd[p + 1..].trim()),
        None => (cmd, ""),
    };
    if !restricted_allows(name, arg) {
        return Err(Error::new("access"));
    }
    // A read-only evaluation may read the session's settings but not change them.
    if !arg.is_empty()
        && matches!(
            name,
            "d" | "c" | "P" | "p" | "o" | "s" | "z" | "e" | "S" | "x" | "T"
        )
    {
        eng.writable()?;
    }
    match name {
        "d" => {
            if arg.is_empty() {
                return Ok(ns_sym(eng.settings.lock().ns));
            }
            let ns = if arg == "." {
                Sym::empty()
            } else {
                Sym::new(arg)
            };
            if !arg.starts_with('.') {
                return Err(Error::new("domain"));
            }
            eng.settings.lock().ns = ns;
            Ok(K::identity())
        }
        "c" => {
            if arg.is_empty() {
                let (r, c) = eng.settings.lock().console;
                return Ok(K::from_slice(KI, &[r as i32, c as i32]));
            }
            let v: Vec<usize> = arg
                .split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect();
            if v.len() != 2 {
                return Err(Error::type_());
            }
            eng.settings.lock().console = (v[0].clamp(10, 10_000), v[1].clamp(10, 10_000));
            Ok(K::identity())
        }
        "P" => {
            if arg.is_empty() {
                return Ok(K::int(eng.settings.lock().precision as i32));
            }
            let p: usize = arg.parse().map_err(|_| Error::type_())?;
            eng.settings.lock().precision = p.min(17);
            Ok(K::identity())
        }
        "p" => super::listen::command(eng, arg),
        // `\t ms` sets the timer (`\t` alone reports it); `\t expr` times an expression.
        "t" if arg.is_empty() || arg.parse::<i64>().is_ok() => super::listen::timer(arg),
        "l" => crate::q::disk::load::command(eng, arg),
        _ if super::timing::is_timing(name, arg) => super::timing::time(eng, name, arg),
        "t" => {
            // The timer (`\t N`) is not here yet: `\t` reports 0, an interval is accepted.
            if arg.is_empty() {
                return Ok(K::int(0));
            }
            arg.parse::<i64>().map_err(|_| Error::type_())?;
            Ok(K::identity())
        }
        "v" | "f" | "a" => {
            let ns = if arg.is_empty() {
                let n = eng.settings.lock().ns;
                n.as_bytes().to_vec()
            } else if arg == "." {
                Vec::new()
            } else if namespace_exists(eng, arg.as_bytes()) {
                arg.as_bytes().to_vec()
            } else {
                return Err(Error::new(arg));
            };
            Ok(K::from_slice(KS, &names_of_kind(eng, &ns, name)))
        }
        "\\" => exit(eng, 0),
        "w" if arg.is_empty() => Ok(K::from_slice(KJ, &memory_stats())),
        // `\w 0`/`\w 1`: the interned symbols and their bytes; `\w n` raises the `-w` limit.
        "w" => super::workspace::command(eng, arg),
        // Views, and those pending: not computed since a name they read (or a view those
        // read) changed.
        "b" | "B" => {
            let cx = crate::q::eval::Ctx::new(eng);
            let all = crate::q::keywords::views::views(&cx);
            if name == "b" {
                return Ok(all);
            }
            let pending: Vec<Sym> = all
                .as_slice::<Sym>()
                .iter()
                .copied()
                .filter(|v| {
                    eng.get_global(*v)
                        .is_some_and(|m| eng.view_cache.pending(&m))
                })
                .collect();
            Ok(K::from_slice(KS, &pending))
        }
        // `-U file` (and `-u file`, which is `-u 1 -U file`) disables `\x`, even on the
        // console (basics/cmdline.md `-U`).
        "x" if !arg.is_empty() && password_file(eng).is_some() => Err(Error::new("access")),
        "o" | "s" | "z" | "e" | "S" | "x" => session_value(eng, name, arg),
        // `\_`: whether client write access is blocked (`-b`; basics/syscmds.md `\_`).
        // `\_ f.q` would write a locked script in KX's scrambled format, which it does not
        // document: neither kdb+'s `.q_` files nor ours for it could be read by the other.
        "_" if arg.is_empty() => Ok(K::bool(option_given(eng, "b"))),
        "_" => Err(Error::nyi()),
        "T" => super::listen::client_timeout(eng, arg),
        // `\u` reloads the password file of `-u file`/`-U file` (basics/syscmds.md `\u`).
        "u" if arg.is_empty() => {
            if let Some(f) = password_file(eng) {
                crate::q::server::auth::load(&f).map_err(Error::new)?;
            }
            Ok(K::identity())
        }
        "g" | "W" | "r" | "u" => Ok(K::identity()),
        "cd" => crate::q::disk::shell::cd(arg),
        // Anything else is the shell's (`\ls`, `system "pwd"`).
        _ => crate::q::disk::shell::run(cmd),
    }
}

/// Whether q was started with option `-name`.
fn option_given(eng: &Engine, name: &str) -> bool {
    eng.settings.lock().options.iter().any(|(o, _)| o == name)
}

/// The password file q was started with: `-U file` or `-u file` (not `-u 1`).
fn password_file(eng: &Engine) -> Option<String> {
    let settings = eng.settings.lock();
    settings
        .options
        .iter()
        .find(|(o, v)| !v.is_empty() && (o == "U" || o == "u" && v != "1"))
        .map(|(_, v)| v.clone())
}

/// Whether restricted evaluation (`reval`, as a `-u 1` client) may run command `name`: kdb+
/// blocks the system commands that change state there (ref/eval.md#reval), so the ones that
/// only report a setting or list names run, as does timing an expression (restricted too);
/// anything given a value, loading, the shell and `\\` are `'access`.
fn restricted_allows(name: &str, arg: &str) -> bool {
    if !crate::q::eval::restricted::active() {
        return true;
    }
    let reports = matches!(
        name,
        "d" | "c"
            | "P"
            | "p"
            | "o"
            | "s"
            | "z"
            | "e"
            | "S"
            | "x"
            | "T"
            | "t"
            | "w"
            | "g"
            | "W"
            | "b"
            | "B"
            | "cd"
            | "_"
    );
    reports && arg.is_empty()
        || matches!(name, "v" | "f" | "a")
        || super::timing::is_timing(name, arg)
}

/// `exit n` and `\\`: `.z.exit` (when defined) gets the code first, and cannot cancel the
/// exit (ref/dotz.md): an error in it suspends the session (or is printed), and the process
/// ends once that is over. An exit asked for while the hook runs (end of input at its
/// debugger, `\\` there) ends at once, with the first exit's code. Where the host forbids
/// exiting, `'exit`.
pub fn exit(eng: &Engine, code: i32) -> Result<K> {
    use std::sync::atomic::{AtomicI64, Ordering};
    /// The code of the exit under way; none yet while it is this.
    const NONE: i64 = i64::MIN;
    static EXITING: AtomicI64 = AtomicI64::new(NONE);
    let allowed = eng.exit_allowed.load(Ordering::Relaxed);
    if allowed {
        if let Err(first) =
            EXITING.compare_exchange(NONE, code as i64, Ordering::Relaxed, Ordering::Relaxed)
        {
            return eng.exit(first as i32);
        }
    }
    if let Some(hook) = eng.get_global(Sym::new(".z.exit")) {
        let mut cx = crate::q::eval::Ctx::new(eng);
        match cx.apply(hook, vec![K::long(code as i64)]) {
            Err(e) if !allowed => return Err(e),
            // Abandoned in the debugger: already shown there.
            Err(_) if cx.debug.unwinding => {}
            Err(e) => eng.emit(format!("{e}").as_bytes()),
            Ok(_) => {}
        }
    }
    // What the hook printed reaches the terminal before the process ends.
    if allowed {
        print!("{}", eng.take_output());
    }
    eng.exit(code)
}

/// `\w`: used, heap and peak bytes (the process's resident and peak resident memory, as this
/// engine has no heap of its own), the workspace limit (`-w`, 0: none), mapped bytes, physical
/// memory.
fn memory_stats() -> [i64; 6] {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let kb = |text: &str, key: &str| -> i64 {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<i64>().ok())
            .map_or(0, |n| n * 1024)
    };
    let rss = kb(&status, "VmRSS:");
    [
        rss,
        rss,
        kb(&status, "VmHWM:"),
        crate::obj::workspace::limit() as i64,
        0,
        kb(&meminfo, "MemTotal:"),
    ]
}

/// `system "..."`: the command's value.
pub fn system_value(eng: &Engine, s: &str) -> Result<K> {
    let s = s.strip_prefix('\\').unwrap_or(s);
    command(eng, s)
}
