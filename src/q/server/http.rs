//! HTTP and WebSocket requests as kdb+ answers them: a GET goes to `.z.ph` (by default the
//! browser view of q.k: the variables, a query's result as an HTML table, `?` queries exported
//! as csv/txt/xml/json through `.h.tx`), a POST to `.z.pp`, and a request to upgrade to a
//! WebSocket is accepted (RFC 6455 handshake) so `.z.ws` gets its messages.

use crate::net::server::{HttpAnswer, HttpRequest};
use crate::obj::*;

/// kdb+'s default `.z.ph`, branch by branch as q.k has it: the frame page, the list of
/// variables, a page of the last result, a query shown as a table, a query exported in a
/// format (`?csv ...`, served as that type), a file under `.h.HOME` (typed by its extension),
/// and 404 for anything else. One departure: a path with a `..` segment gets 403 (kdb+'s
/// handler reads it, so any file the process can read is served).
pub const DEFAULT_ZPH: &str = r#"{[x]x:.h.uh $[type x;x;first x];$[not count x;.h.hy[`htm;.h.fram[string .z.f;x;("?";"?",first string system"v")]];x~enlist"?";.h.hp{.h.hb["?",x;x]}each string system"v";"?["~2#x;.h.hp .h.jx["J"$2_x;.h.R];"?"=first x;@[{.h.hp .h.jx[0;.h.R::1_x]};x;.h.he];"?"in x;@[{.h.hy[t;"\n"sv .h.tx[t:`$-3#n#x;.h.val(1+n:x?"?")_x]]};x;.h.he];any".."~/:"/"vs x;.h.hn["403 Forbidden";`txt;x,": outside .h.HOME"];count r:@[read1;`$":",p:.h.HOME,"/",x;""];.h.hy[`$last"."vs x;"c"$r];.h.hn["404 Not Found";`txt;p,": not found"]]}"#;

/// The magic string of RFC 6455's accept key.
const WS_GUID: &[u8] = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The `.z.ph`/`.z.pp` argument: (the request text; its headers as a dictionary).
pub fn handler_argument(req: &HttpRequest, with_body: bool) -> K {
    let target = req.target.strip_prefix(b"/").unwrap_or(req.target);
    let mut text = target.to_vec();
    if with_body {
        text.push(b' ');
        text.extend_from_slice(req.body);
    }
    let names: Vec<Sym> = req.headers.iter().map(|(n, _)| Sym::new(n)).collect();
    let values: Vec<K> = req.headers.iter().map(|(_, v)| K::string(v)).collect();
    let headers = K::dict(K::from_slice(KS, &names), K::list(values));
    K::list(vec![K::string(text), headers])
}

/// The handshake answer for a WebSocket upgrade, if this request asks for one.
pub fn websocket_upgrade(req: &HttpRequest) -> Option<HttpAnswer> {
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| *v)
    };
    let upgrade = header("upgrade")?;
    if !upgrade.eq_ignore_ascii_case(b"websocket") {
        return None;
    }
    let key = header("sec-websocket-key")?;
    let mut text = key.to_vec();
    text.extend_from_slice(WS_GUID);
    let accept = crate::q::namespaces::dotq::base64(&crate::q::prims::sha1::digest(&text));
    let bytes = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    Some(HttpAnswer {
        bytes: bytes.into_bytes(),
        upgrade: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_zph_parses() {
        assert!(crate::q::keywords::builtins::builtin_lambda(DEFAULT_ZPH).is_ok());
    }

    #[test]
    fn the_rfc_example_key_is_accepted() {
        let req = HttpRequest {
            method: b"GET",
            target: b"/",
            headers: vec![
                (b"Upgrade", b"websocket"),
                (b"Sec-WebSocket-Key", b"dGhlIHNhbXBsZSBub25jZQ=="),
            ],
            body: b"",
        };
        let a = websocket_upgrade(&req).unwrap();
        let text = String::from_utf8(a.bytes).unwrap();
        assert!(
            text.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
            "{text}"
        );
        assert_eq!(crate::q::namespaces::dotq::base64(b"ab"), "YWI=");
    }
}
