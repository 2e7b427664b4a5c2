//! `\p` (the listening port), `\t` (the timer) and `\T` (client query timeout): the session's
//! side of the server in `crate::net::server`, with the command-line forms `-p`, `-t`, `-T`.

use std::sync::atomic::{AtomicI64, Ordering};

use super::engine::Engine;
use crate::net::server;
use crate::obj::*;

/// `\T`: seconds a client's query may run before it is stopped (0: no limit).
static CLIENT_TIMEOUT: AtomicI64 = AtomicI64::new(0);

/// `\p [[host:]port]`: reports the port, listens (`0W`: any free port; `a/b`: the first free
/// one in a range), or stops listening (`0`).
pub fn command(eng: &Engine, arg: &str) -> Result<K> {
    if arg.is_empty() {
        return Ok(K::int(eng.settings.lock().port as i32));
    }
    let (host, ports) = match arg.rsplit_once(':') {
        Some((h, p)) => (h, p),
        None => ("", arg),
    };
    // A negative port: multithreaded input mode (`-p -5000`, `\p -0W`).
    let (threaded, ports) = match ports.strip_prefix('-') {
        Some(p) => (true, p),
        None => (false, ports),
    };
    let port_of = |p: &str| -> Result<i64> {
        match p {
            "0W" | "0w" => Ok(0),
            _ => p.parse::<i64>().map_err(|_| Error::new(arg)),
        }
    };
    let (first, last) = match ports.split_once('/') {
        Some((a, b)) => (port_of(a)?, port_of(b)?),
        None => {
            let p = port_of(ports)?;
            if p == 0 && ports != "0W" && ports != "0w" {
                server::stop_listening();
                server::threaded::stop_listening();
                eng.settings.lock().port = 0;
                return Ok(K::identity());
            }
            (p, p)
        }
    };
    if !(0..=65535).contains(&first) || !(first..=65535).contains(&last) {
        return Err(Error::domain());
    }
    super::super::server::install(Engine::global());
    let mut err = String::new();
    for p in first..=last {
        let bound = if threaded {
            server::stop_listening();
            server::threaded::listen(host, p as u16).map(|p| -(p as i64))
        } else {
            server::threaded::stop_listening();
            server::listen(host, p as u16).map(|l| l.port as i64)
        };
        match bound {
            Ok(port) => {
                eng.settings.lock().port = port;
                return Ok(K::identity());
            }
            Err(e) => err = e,
        }
    }
    Err(Error::new(err))
}

/// `\t` (the timer's period in milliseconds) and `\t ms` (0 stops it): `.z.ts` runs on the
/// owner's loop every `ms`.
pub fn timer(arg: &str) -> Result<K> {
    if arg.is_empty() {
        return Ok(K::int(server::timer() as i32));
    }
    let ms: i64 = arg.parse().map_err(|_| Error::type_())?;
    if ms < 0 {
        return Err(Error::domain());
    }
    super::super::server::install(Engine::global());
    server::set_timer(ms as u64);
    Ok(K::identity())
}

/// `\T` and `\T n`.
pub fn client_timeout(_eng: &Engine, arg: &str) -> Result<K> {
    if arg.is_empty() {
        return Ok(K::int(CLIENT_TIMEOUT.load(Ordering::Relaxed) as i32));
    }
    let n: i64 = arg.parse().map_err(|_| Error::type_())?;
    if n < 0 {
        return Err(Error::domain());
    }
    CLIENT_TIMEOUT.store(n, Ordering::Relaxed);
    Ok(K::identity())
}

/// The client query timeout in seconds (0: none).
pub fn client_timeout_secs() -> i64 {
    CLIENT_TIMEOUT.load(Ordering::Relaxed)
}
