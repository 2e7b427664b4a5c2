//! IPC from q: `hopen`, `hclose`, and applying a handle (`h "expr"` or `h (f;args)` waits
//! for the reply; `neg[h] x` sends asynchronously), over `crate::net`'s client.

use std::time::Duration;

use crate::net::connect::{OpenError, Options};
use crate::net::message::{ASYNC, SYNC};
use crate::net::{client, handles, message};
use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::wire::RESPONSE;

pub fn os_error(e: &std::io::Error) -> Error {
    let text = e.to_string();
    let text = text
        .split(" (os error")
        .next()
        .unwrap_or_default()
        .to_string();
    Error::new(format!("hop. OS reports: {text}"))
}

/// `hopen x`: `` `:host:port[:user:password] ``, a port number, or (that; timeout in ms).
pub fn hopen(x: &K) -> Result<K> {
    let (target, timeout) = match x.t() {
        0 if x.n() == 2 => (
            x.items()[0].clone(),
            crate::q::eval::values::as_long(&x.items()[1]),
        ),
        _ => (x.clone(), None),
    };
    let text: String = match target.t() {
        A_KS => target.s().as_str().into_owned(),
        KC => String::from_utf8_lossy(target.bytes()).into_owned(),
        A_KJ | A_KI | A_KH => format!(
            "::{}",
            crate::q::eval::values::as_long(&target).unwrap_or(0)
        ),
        _ => return Err(Error::type_()),
    };
    let text = text.strip_prefix(':').unwrap_or(&text);
    let mut parts = text.splitn(3, ':');
    let host = parts.next().unwrap_or("");
    let port: u16 = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| Error::new("hop"))?;
    let credentials = parts.next().unwrap_or("").as_bytes().to_vec();
    let host = if host.is_empty() { "localhost" } else { host };
    let o = Options {
        host,
        port,
        credentials: &credentials,
        timeout: timeout
            .filter(|t| *t > 0)
            .map(|t| Duration::from_millis(t as u64)),
        tls: false,
        large: true,
    };
    match client::open(&o) {
        Ok(h) => {
            // Messages the server pushes (a publisher's updates) reach `.z.ps` on the loop.
            if let Some(c) = handles::get(h) {
                crate::net::server::watch_outgoing(c);
            }
            Ok(K::int(h))
        }
        Err(OpenError::Refused) => Err(Error::new("access")),
        Err(OpenError::TimedOut) => Err(Error::new("timeout")),
        Err(OpenError::Failed(e)) => Err(os_error(&e)),
        Err(OpenError::TlsInit(_)) => Err(Error::new("conn")),
    }
}

/// `hclose h`.
pub fn hclose(x: &K) -> Result<K> {
    let h = crate::q::eval::values::as_long(x).ok_or_else(Error::type_)?;
    if crate::q::disk::handle::close(h) {
        return Ok(K::identity());
    }
    // Messages held for the end of a batch were sent before the close.
    crate::net::server::held::release();
    let _ = client::close(h.unsigned_abs() as i32);
    Ok(K::identity())
}

/// `h x`: sends x (a string to evaluate, or a list to apply) and, for h > 0, waits for the
/// reply; an error reply is signalled. While it waits, messages the peer sends first are
/// handled as kdb+ does: an async one by `.z.ps`, a sync one (a server calling back into its
/// client) by `.z.pg`, answered before the wait goes on. `neg[h][]` flushes what is queued.
pub fn send(h: i64, x: &K) -> Result<K> {
    if let Some(r) = crate::q::disk::handle::write(h, x) {
        return r;
    }
    let handle = i32::try_from(h.unsigned_abs()).map_err(|_| Error::type_())?;
    // A thread that evaluates read-only (a connection thread of multithreaded input mode, a
    // reader of read-parallel mode, a peach thread) sends only to its own WebSocket: the
    // other handles are the owner's.
    if crate::sys::engine_lock::read_only() {
        let own_websocket = h < 0
            && handle == crate::q::server::context::handle()
            && crate::net::server::kind_of(handle) == Some(crate::net::server::Kind::WebSocket);
        if !own_websocket {
            return Err(Error::new("nosocket"));
        }
    }
    // A number that is not an open handle does not take an atom or a function; a list it
    // tries to write to as a descriptor, as kdb+ does.
    let c = handles::get(handle).ok_or_else(|| {
        if x.t() < 0 || x.t() >= LAMBDA {
            return Error::type_();
        }
        Error::new(format!(
            "Cannot write to handle {handle}. OS reports: Bad file descriptor"
        ))
    })?;
    if crate::q::eval::verbs::is_identity(x) && h < 0 {
        crate::net::server::held::release();
        c.flush().map_err(|e| os_error(&e))?;
        return Ok(K::identity());
    }
    if crate::net::server::kind_of(handle) == Some(crate::net::server::Kind::WebSocket) {
        // "All messages sent across a WebSocket connection are asynchronous" (kb/websockets.md);
        // the error kdb+ gives for a sync one is not documented.
        if h > 0 {
            return Err(Error::nyi());
        }
        crate::net::server::send_websocket(handle, x)?;
        return Ok(K::identity());
    }
    let msg_type = if h > 0 { SYNC } else { ASYNC };
    let x = if x.t() == A_KC {
        K::string([x.g()])
    } else {
        x.clone()
    };
    let bytes = message::encode_for(&x, msg_type, c.capability(), c.peer_is_local())?;
    if h < 0 {
        crate::net::server::held::send_async(&c, &bytes).map_err(|e| os_error(&e))?;
        return Ok(K::identity());
    }
    // Waiting for the reply blocks: async messages held for the end of a batch go first.
    crate::net::server::held::release();
    c.request(&bytes).map_err(|e| os_error(&e))?;
    let peer = crate::net::server::Peer {
        handle,
        user: Sym::empty(),
        address: 0,
        kind: crate::net::server::Kind::Outgoing,
        threaded: false,
    };
    loop {
        let (t, msg) = c
            .next_message(|t, m| (t, message::decode(m, c.capability())))
            .map_err(|e| os_error(&e))?;
        match t {
            RESPONSE => {
                let reply = msg?;
                if reply.t() == ERROR {
                    return Err(Error(reply.s()));
                }
                return Ok(reply);
            }
            SYNC => {
                let answer = crate::q::server::answer_sync(&peer, msg);
                let bytes = message::encode_for(
                    &answer.unwrap_or_else(|e| K::error(e.msg())),
                    RESPONSE,
                    c.capability(),
                    c.peer_is_local(),
                )?;
                c.send(&bytes).map_err(|e| os_error(&e))?;
            }
            _ => crate::q::server::answer_async(&peer, msg),
        }
    }
}

/// `-25!(handles;msg)`: sends msg asynchronously to each handle, as kdb+'s broadcast does.
/// Every handle is checked before anything is sent; a handle that is not an open IPC
/// connection (a file handle, a closed number, a WebSocket) fails the whole call.
pub fn broadcast(y: &K) -> Result<K> {
    if y.t() != 0 || y.n() != 2 {
        return Err(Error::type_());
    }
    let it = y.items();
    let hs: Vec<i64> = match it[0].t() {
        KI => it[0]
            .as_slice::<i32>()
            .iter()
            .map(|&h| i64::from(h))
            .collect(),
        KJ => it[0].as_slice::<i64>().to_vec(),
        A_KI | A_KJ => vec![crate::q::eval::values::as_long(&it[0]).unwrap_or_default()],
        _ => return Err(Error::type_()),
    };
    let not_ipc = |h: i64| Error::new(format!("{h} is not an ipc handle"));
    let mut conns = Vec::with_capacity(hs.len());
    for &h in &hs {
        let handle = i32::try_from(h).map_err(|_| not_ipc(h))?;
        let c = handles::get(handle).ok_or_else(|| not_ipc(h))?;
        if crate::net::server::kind_of(handle) == Some(crate::net::server::Kind::WebSocket) {
            return Err(not_ipc(h));
        }
        conns.push((h, c));
    }
    let msg = if it[1].t() == A_KC {
        K::string([it[1].g()])
    } else {
        it[1].clone()
    };
    for (h, c) in conns {
        let bytes =
            message::encode_for(&msg, ASYNC, c.capability(), c.peer_is_local()).map_err(|e| {
                Error::new(format!("{} error serializing for handle {h}", e.0.as_str()))
            })?;
        crate::net::server::held::send_async(&c, &bytes).map_err(|e| os_error(&e))?;
    }
    Ok(K::identity())
}

/// `-38!h` (basics/internal.md, socket table): for each handle its protocol, `q` (IPC) or `w`
/// (WebSocket), and family, `t` (TCP) or `u` (Unix domain socket): a table for a list of
/// handles, a dictionary for one. A number that is no open socket gets nulls.
pub fn socket_table(x: &K) -> Result<K> {
    let hs: Vec<i64> = match x.t() {
        A_KI => vec![x.i() as i64],
        A_KJ => vec![x.j()],
        KI => x.as_slice::<i32>().iter().map(|&h| h as i64).collect(),
        KJ => x.as_slice::<i64>().to_vec(),
        0 if x.n() == 0 => Vec::new(),
        _ => return Err(Error::type_()),
    };
    let mut protocol = Vec::with_capacity(hs.len());
    let mut family = Vec::with_capacity(hs.len());
    for h in hs {
        let h = i32::try_from(h).unwrap_or(-1);
        let websocket = crate::net::server::threaded::websocket(h);
        let conn = handles::get(h).or_else(|| websocket.clone());
        let (p, f) = match conn {
            Some(c) => {
                let ws = websocket.is_some()
                    || crate::net::server::kind_of(h) == Some(crate::net::server::Kind::WebSocket);
                (
                    if ws { "w" } else { "q" },
                    if c.is_unix() { "u" } else { "t" },
                )
            }
            None => ("", ""),
        };
        protocol.push(Sym::new(p));
        family.push(Sym::new(f));
    }
    let names = K::from_slice(KS, &[Sym::new("p"), Sym::new("f")]);
    if x.is_atom() {
        return Ok(K::dict(names, K::from_slice(KS, &[protocol[0], family[0]])));
    }
    Ok(K::table(K::dict(
        names,
        K::list(vec![
            K::from_slice(KS, &protocol),
            K::from_slice(KS, &family),
        ]),
    )))
}
