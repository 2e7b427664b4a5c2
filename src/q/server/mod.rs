//! The interpreter's side of the kdb+ server (`crate::net::server`): the message handlers
//! `.z.pw .z.po .z.pc .z.pg .z.ps .z.ph .z.pp .z.ws .z.wo .z.wc .z.ts` with kdb+'s defaults,
//! the password files (`auth`), HTTP and WebSocket answers (`http`), and the connection an
//! evaluation answers (`context`: `.z.w .z.u .z.a`, deferred responses).
//!
//! Every call comes on the owner thread (or, in multithreaded input mode, on the connection's
//! thread under the read lock); each runs its handler like a console entry: errors are caught
//! and returned, what the handler printed goes to stdout.

pub mod auth;
pub mod context;
pub mod http;

use std::sync::Arc;

use crate::net::server::{self, HttpAnswer, HttpRequest, Peer, Service};
use crate::obj::*;
use crate::q::eval::Ctx;
use crate::q::session::engine::Engine;
use crate::q::session::listen::client_timeout_secs;

/// The service for the process's engine.
pub struct Handlers {
    eng: &'static Engine,
}

/// Makes the engine the server's service (idempotent).
pub fn install(eng: &'static Engine) {
    server::set_service(Arc::new(Handlers { eng }));
}

/// `.z.*` handler `name` applied to `args` in the context of `peer`: None when the session
/// has not defined it.
fn call(eng: &Engine, name: &str, args: Vec<K>) -> Option<Result<K>> {
    let handler = eng.get_global(Sym::new(name))?;
    Some(guarded(eng, || Ctx::new(eng).apply(handler, args)))
}

/// Runs an evaluation as the console runs an entry: a panic deep inside is an error, and
/// what it printed goes out.
fn guarded(eng: &Engine, f: impl FnOnce() -> Result<K>) -> Result<K> {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(Error::from_panic(p)));
    let out = eng.take_output();
    if !out.is_empty() {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(out.as_bytes());
        let _ = stdout.flush();
    }
    r
}

/// A client's message evaluated: read-only (`'noupdate` on a global write) when q was started
/// with `-b`, which blocks write access for every handle but 0 (basics/cmdline.md `-b`), and
/// confined (`q::eval::restricted::confined`) when started with `-u 1` or `-u file`, which
/// block system commands and files outside the current directory for every handle but 0
/// (basics/cmdline.md `-u`).
fn for_client<R>(eng: &Engine, f: impl FnOnce() -> R) -> R {
    let (blocked, confined) = {
        let options = &eng.settings.lock().options;
        let blocked = options.iter().any(|(o, _)| o == "b");
        (
            blocked,
            options.iter().any(|(o, v)| o == "u" && !v.is_empty()),
        )
    };
    let run = || {
        if confined {
            crate::q::eval::restricted::confined(f)
        } else {
            f()
        }
    };
    if blocked {
        crate::sys::engine_lock::with_read_only(run)
    } else {
        run()
    }
}

/// `value x`, what `.z.pg` and `.z.ps` do by default.
fn value(eng: &Engine, x: &K) -> Result<K> {
    guarded(eng, || {
        let mut cx = Ctx::new(eng);
        // A message's text is its evaluation's top level (basics/debug.md, `\e 2`: an async
        // `f `a` shows as `[0]  f `a`), not a level above it as `value`'s text would be.
        if x.t() == KC && !x.bytes().starts_with(b"\\") {
            return cx.run(x.bytes()).map(|(v, _)| v);
        }
        crate::q::keywords::builtins::value(&mut cx, x)
    })
}

fn handle_atom(peer: &Peer) -> K {
    K::int(peer.handle)
}

impl Service for Handlers {
    fn login(&self, peer: &Peer, password: &[u8]) -> bool {
        if !auth::allows(peer.user.as_bytes(), password) {
            return false;
        }
        let args = vec![K::sym(peer.user), K::string(password)];
        let (r, _) = context::within(peer, false, || call(self.eng, ".z.pw", args));
        match r {
            None => true,
            Some(Ok(v)) => v.t() == -1 && v.g() != 0,
            Some(Err(_)) => false,
        }
    }

    fn opened(&self, peer: &Peer) {
        context::within(peer, false, || {
            call(self.eng, ".z.po", vec![handle_atom(peer)])
        });
    }

    fn closed(&self, peer: &Peer) {
        // As kdb+ reports it: `.z.w` is 0 (the handle is gone), `.z.u` and `.z.a` are the
        // closed connection's.
        let gone = Peer {
            handle: 0,
            ..peer.clone()
        };
        context::within(&gone, false, || {
            call(self.eng, ".z.pc", vec![handle_atom(peer)])
        });
    }

    fn sync(&self, peer: &Peer, msg: Result<K>) -> Option<Result<K>> {
        let msg = match msg {
            Ok(m) => m,
            Err(e) => return Some(Err(e)),
        };
        let (r, deferred) = context::within(peer, true, || {
            context::limited(client_timeout_secs(), || {
                for_client(self.eng, || {
                    call(self.eng, ".z.pg", vec![msg.clone()])
                        .unwrap_or_else(|| value(self.eng, &msg))
                })
            })
        });
        (!deferred).then_some(r)
    }

    fn asynchronous(&self, peer: &Peer, msg: Result<K>) {
        let Ok(msg) = msg else { return };
        // An async message's error goes nowhere: there is no one to answer.
        let _ = context::within(peer, false, || {
            context::limited(client_timeout_secs(), || {
                for_client(self.eng, || {
                    call(self.eng, ".z.ps", vec![msg.clone()])
                        .unwrap_or_else(|| value(self.eng, &msg))
                })
            })
        });
    }

    fn http(&self, peer: &Peer, req: &HttpRequest) -> HttpAnswer {
        if let Some(upgrade) = http::websocket_upgrade(req) {
            return upgrade;
        }
        let post = req.method == b"POST";
        let name = if post { ".z.pp" } else { ".z.ph" };
        let arg = http::handler_argument(req, post);
        let ((r, dump), _) = context::within(peer, false, || {
            context::capturing_dump(|| {
                for_client(self.eng, || {
                    call(self.eng, name, vec![arg.clone()]).unwrap_or_else(|| {
                        if post {
                            return Err(Error::new(".z.pp"));
                        }
                        let zph = crate::q::keywords::builtins::builtin_lambda(http::DEFAULT_ZPH)?;
                        guarded(self.eng, || {
                            Ctx::new(self.eng).apply(zph, vec![arg.clone()])
                        })
                    })
                })
            })
        });
        let bytes = match (r, dump) {
            (Ok(v), _) if v.t() == KC => v.bytes().to_vec(),
            (Ok(v), _) if v.t() == KG => v.bytes().to_vec(),
            (Ok(_), _) => error_page("'type\n"),
            // `\e 2`: the stack goes into the answer.
            (Err(_), Some(stack)) => error_page(&stack),
            (Err(e), None) => error_page(&format!("'{}\n", e.msg().as_str())),
        };
        HttpAnswer {
            bytes,
            upgrade: false,
        }
    }

    fn ws_opened(&self, peer: &Peer) {
        context::within(peer, false, || {
            call(self.eng, ".z.wo", vec![handle_atom(peer)])
        });
    }

    fn ws_message(&self, peer: &Peer, msg: K) {
        let _ = context::within(peer, false, || {
            for_client(self.eng, || {
                match call(self.eng, ".z.ws", vec![msg.clone()]) {
                    Some(r) => r,
                    // kdb+'s default `.z.ws` echoes the message back.
                    None => server::send_websocket(peer.handle, &msg).map(|_| K::identity()),
                }
            })
        });
    }

    fn ws_closed(&self, peer: &Peer) {
        context::within(peer, false, || {
            call(self.eng, ".z.wc", vec![handle_atom(peer)])
        });
    }

    fn tick(&self, due: std::time::SystemTime) {
        let ns = due
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64);
        // kdb+'s timestamps count from 2000.01.01.
        let stamp = K::atom_i64(-KP, ns - 946_684_800_000_000_000);
        call(self.eng, ".z.ts", vec![stamp]);
    }
}

/// A sync request that arrived on a connection while this process waited there for a response
/// (a server calling back into its client): `.z.pg` answers it.
pub fn answer_sync(peer: &Peer, msg: Result<K>) -> Result<K> {
    Handlers {
        eng: Engine::global(),
    }
    .sync(peer, msg)
    .unwrap_or_else(|| Err(Error::domain()))
}

/// An async message that arrived while this process waited for a response: `.z.ps` takes it.
pub fn answer_async(peer: &Peer, msg: Result<K>) {
    Handlers {
        eng: Engine::global(),
    }
    .asynchronous(peer, msg)
}

/// A 400 answer carrying the error (`'msg` and a newline, as `.h.he` makes it).
fn error_page(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
