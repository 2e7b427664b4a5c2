//! Starting an engine from q's command line: `[script.q] [-p port] [-c rows cols] [-P n] ...`.
//! Options are kept (`.z.x`-style) even when nothing uses them yet; the script runs last.

use super::engine::Engine;
use crate::obj::*;

/// A script's full path, as error locations show it.
pub fn full_path(path: &str) -> String {
    std::fs::canonicalize(path)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| path.to_string())
}

/// Whether `-opt` is one of q's own command-line options (the rest are the user's, `.z.x`).
pub fn is_q_option(opt: &str) -> bool {
    opt.len() == 1 && "bcCeEglLmopPqrsStTuUwWz".contains(opt)
}

/// The script and the `-x value` options of a q command line (program name excluded).
pub fn parse_args(args: &[String]) -> (Option<String>, Vec<(String, String)>) {
    let mut script = None;
    let mut opts = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.strip_prefix('-') {
            Some(opt) if !opt.is_empty() && !opt.starts_with(|c: char| c.is_ascii_digit()) => {
                let want = match opt {
                    "c" | "C" => 2,
                    "b" | "q" | "l" | "L" => 0,
                    _ => 1,
                };
                let mut vals = Vec::new();
                while vals.len() < want && i + 1 < args.len() {
                    let next = &args[i + 1];
                    // `-p -0W`: a negative ephemeral port (multithreaded input mode).
                    let numeric = next.parse::<i64>().is_ok() || next.eq_ignore_ascii_case("-0W");
                    if next.starts_with('-') && !numeric {
                        break;
                    }
                    vals.push(next.clone());
                    i += 1;
                }
                opts.push((opt.to_string(), vals.join(" ")));
            }
            _ => {
                if script.is_none() {
                    script = Some(a.clone());
                }
            }
        }
        i += 1;
    }
    (script, opts)
}

impl Engine {
    /// The evaluation of a host's call (`k(0,...)`, `dot`): limited by `\T`, as kdb+ limits
    /// a client's query (the console is not).
    #[inline(always)]
    fn host_call(&self) -> crate::q::eval::Ctx<'_> {
        let secs = super::listen::client_timeout_secs().max(0) as u64;
        crate::q::eval::Ctx::for_call(self, std::time::Duration::from_secs(secs))
    }

    /// Applies command-line options and runs the script, as q does at startup.
    pub fn start(&self, args: &[String]) -> Result<()> {
        self.start_with(args, false)
    }

    /// As `start`, for the q process: before the script, the file `QINIT` names (else
    /// `$QHOME/q.q`) runs when it exists (basics/by-topic.md: "additional file loaded after
    /// q.k has initialized, executed in the default namespace").
    pub fn start_process(&self, args: &[String]) -> Result<()> {
        self.start_with(args, true)
    }

    fn start_with(&self, args: &[String], qinit: bool) -> Result<()> {
        let (script, opts) = parse_args(args);
        for (opt, val) in &opts {
            if matches!(
                opt.as_str(),
                "p" | "c" | "P" | "o" | "z" | "e" | "S" | "t" | "T"
            ) && !val.is_empty()
            {
                super::system::command(self, &format!("{opt} {val}"))?;
            }
            // `-u file`, `-U file`: the users the server accepts; `-u 1` names no file, it
            // only confines clients (basics/cmdline.md `-u`, `q::server::for_client`).
            if (opt == "u" && val != "1" || opt == "U") && !val.is_empty() {
                crate::q::server::auth::load(val).map_err(Error::new)?;
            }
            // `-w N`: the workspace limit in MB.
            if opt == "w" && !val.is_empty() {
                super::workspace::from_command_line(val)?;
            }
            // `-s n`: n secondary threads, and at most n later (`\s`).
            if opt == "s" {
                let n: i32 = val.parse().map_err(|_| Error::type_())?;
                let mut settings = self.settings.lock();
                settings.session.threads = n;
                settings.session.max_threads = n;
            }
        }
        {
            let mut settings = self.settings.lock();
            settings.options = opts;
            settings.options_raw = args.to_vec();
            let program = std::env::args().next().unwrap_or_else(|| "q".into());
            settings.command_line = std::iter::once(program)
                .chain(args.iter().cloned())
                .collect();
            settings.script = script.clone().unwrap_or_default();
        }
        if qinit {
            let init = crate::sys::env::get("QINIT")
                .filter(|p| !p.is_empty())
                .or_else(|| {
                    let home = crate::q::disk::load::qhome()?;
                    Some(format!("{}/q.q", home.trim_end_matches('/')))
                });
            if let Some(init) = init.filter(|p| std::path::Path::new(p).is_file()) {
                let text = std::fs::read(&init).map_err(|_| Error::new(init.as_str()))?;
                self.run_script_from(&text, Some(&full_path(&init)))?;
            }
        }
        if let Some(path) = script {
            // A directory is a database, loaded as `\l dir` loads it (`q /path/to/hdb`).
            if std::path::Path::new(&path).is_dir() {
                return crate::q::disk::load::command(self, &path).map(|_| ());
            }
            // Bytes: a script's strings need not be UTF-8. Not in the current directory, it
            // may be in QHOME.
            let found = crate::q::disk::load::find_script(path.as_bytes());
            let found = String::from_utf8_lossy(&found).into_owned();
            let text = std::fs::read(&found).map_err(|_| Error::new(path.as_str()))?;
            let full = full_path(&found);
            // `-q`: the script is loaded non-interactively, in error-trap mode 2.
            let quiet = self.settings.lock().options.iter().any(|(o, _)| o == "q");
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if quiet {
                    super::scripts::dumping(|| self.run_script_from(&text, Some(&full)))
                } else {
                    self.run_script_from(&text, Some(&full))
                }
            }))
            .unwrap_or_else(|payload| Err(Error::from_panic(payload)))?;
        }
        Ok(())
    }

    /// `k(0, src, args...)`: evaluates `src`; with arguments, applies its value to them.
    /// The source is bytes, as the host passed them: q strings are bytes, not UTF-8. Text
    /// that starts with `\` is a system command, as `value` takes it (`k(0,"\\l f.q")`).
    /// One call: one evaluation, so an interrupt during it stops all of it, and the `\T`
    /// limit counts from its start (`eval::call`).
    pub fn k(&self, src: &[u8], args: Vec<K>) -> Result<K> {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut cx = self.host_call();
            let v = match src.strip_prefix(b"\\") {
                Some(cmd) => super::system::command(self, &String::from_utf8_lossy(cmd))?,
                None => cx.run(src).map(|(v, _)| v)?,
            };
            if args.is_empty() {
                Ok(v)
            } else {
                cx.apply(v, args)
            }
        }));
        r.unwrap_or_else(|payload| Err(Error::from_panic(payload)))
    }

    /// `dot(f, args)`: `.[f;args]`.
    pub fn dot(&self, f: K, args: &K) -> Result<K> {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let items = if args.is_atom() {
                vec![args.clone()]
            } else {
                crate::q::eval::values::items_of(args)
            };
            self.host_call().apply(
                f,
                if items.is_empty() {
                    vec![K::identity()]
                } else {
                    items
                },
            )
        }));
        r.unwrap_or_else(|payload| Err(Error::from_panic(payload)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line() {
        let a: Vec<String> = ["s.q", "-p", "5000", "-c", "30", "100", "-q"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (s, o) = parse_args(&a);
        assert_eq!(s.as_deref(), Some("s.q"));
        assert_eq!(
            o,
            vec![
                ("p".into(), "5000".into()),
                ("c".into(), "30 100".into()),
                ("q".into(), "".into())
            ]
        );
        let neg: Vec<String> = ["-p", "-5000"].iter().map(|s| s.to_string()).collect();
        assert_eq!(parse_args(&neg).1, vec![("p".into(), "-5000".into())]);
    }
}
