//! `.Q.hg` (HTTP GET) and `.Q.hp` (HTTP POST), and `.Q.gz` (gzip), as kdb+'s q.k defines
//! them: the URL `[:]scheme://[user:password@]host[:port][/path]` (a string or a symbol);
//! one HTTP/1.1 request with `Connection: close`, `Host`, basic authorization from the URL's
//! credentials, `Accept-Encoding: gzip` when zlib is there; a proxy from `HTTP_PROXY` (or
//! `http_proxy`) unless the host matches `NO_PROXY` (`no_proxy`, comma-separated names, a
//! leading `.` matching any subdomain), asked for the whole URL with `Proxy-Authorization`.
//! The reply's body comes back as a string: the bytes after the header's blank line,
//! gunzipped when the header says `content-encoding: gzip`; nothing else is interpreted
//! (a chunked body keeps its chunk lines, as kdb+'s does).

use crate::net::http::{self, HttpError};
use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::sys::zlib;

/// A URL cut as q.k's `.Q.hap` cuts it.
#[derive(Debug, PartialEq)]
struct Url {
    /// `http://` or `https://` (what precedes the host; may be empty).
    scheme: String,
    /// `user:password`, or empty.
    credentials: String,
    /// `host[:port]` as written.
    authority: String,
    /// From the first `/` after the host; `/` when there is none.
    path: String,
}

fn parse_url(text: &str) -> Url {
    let t = text.strip_prefix(':').unwrap_or(text);
    let slashes: Vec<usize> = t.match_indices('/').map(|(i, _)| i).collect();
    let host_at = slashes.get(1).map_or(0, |i| i + 1);
    let path_at = slashes.get(2).copied().unwrap_or(t.len());
    let (scheme, rest) = t.split_at(host_at.min(t.len()));
    let (hostpart, path) = rest.split_at(path_at - host_at.min(path_at));
    let (credentials, authority) = match hostpart.rfind('@') {
        Some(at) => (&hostpart[..at], &hostpart[at + 1..]),
        None => ("", hostpart),
    };
    Url {
        scheme: scheme.to_string(),
        credentials: credentials.to_string(),
        authority: authority.to_string(),
        path: if path.is_empty() {
            "/".into()
        } else {
            path.into()
        },
    }
}

impl Url {
    fn tls(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("https://")
    }

    /// Host and port to connect to (the scheme's port when none is written).
    fn endpoint(&self) -> Result<(String, u16)> {
        let default = if self.tls() { 443 } else { 80 };
        let a = self.authority.as_str();
        // `[::1]:8080`: a bracketed IPv6 address.
        let (host, port) = match (a.rfind(':'), a.rfind(']')) {
            (Some(c), b) if b.is_none_or(|b| c > b) => (&a[..c], Some(&a[c + 1..])),
            _ => (a, None),
        };
        let port = match port {
            Some(p) => p.parse::<u16>().map_err(|_| Error::new("host"))?,
            None => default,
        };
        Ok((host.to_string(), port))
    }

    fn host_name(&self) -> &str {
        self.authority.split(':').next().unwrap_or("")
    }
}

fn env(names: [&str; 2]) -> String {
    names
        .iter()
        .filter_map(|n| std::env::var(n).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default()
}

/// Whether `host` is one `NO_PROXY` lists.
fn bypasses_proxy(host: &str, no_proxy: &str) -> bool {
    no_proxy.split(',').map(str::trim).any(|p| {
        !p.is_empty()
            && (p == "*"
                || match p.strip_prefix('.') {
                    Some(domain) => host.ends_with(&format!(".{domain}")),
                    None => host == p,
                })
    })
}

/// The request and where to send it, for `method` on `url` with optional `(type; body)`.
fn request(url: &Url, full: &str, method: &str, content: Option<(&[u8], &[u8])>) -> (Url, Vec<u8>) {
    let proxy = env(["HTTP_PROXY", "http_proxy"]);
    let via_proxy =
        !proxy.is_empty() && !bypasses_proxy(url.host_name(), &env(["NO_PROXY", "no_proxy"]));
    let (to, target, auth_header) = if via_proxy {
        let p = parse_url(&proxy);
        let auth = p.credentials.clone();
        (p, full.to_string(), ("Proxy-Authorization", auth))
    } else {
        let auth = url.credentials.clone();
        let to = Url {
            scheme: url.scheme.clone(),
            credentials: url.credentials.clone(),
            authority: url.authority.clone(),
            path: url.path.clone(),
        };
        (to, url.path.clone(), ("Authorization", auth))
    };
    let mut headers: Vec<String> = Vec::new();
    if zlib::available() {
        headers.push("Accept-Encoding: gzip".into());
    }
    headers.push("Connection: close".into());
    headers.push(format!("Host: {}", url.authority));
    if !auth_header.1.is_empty() {
        let b64 = super::dotq::base64(auth_header.1.as_bytes());
        headers.push(format!("{}: Basic {b64}", auth_header.0));
    }
    if let Some((ty, body)) = content {
        headers.push(format!("Content-type: {}", String::from_utf8_lossy(ty)));
        headers.push(format!("Content-length: {}", body.len()));
    }
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\n{}\r\n\r\n",
        headers.join("\r\n")
    )
    .into_bytes();
    if let Some((_, body)) = content {
        req.extend_from_slice(body);
    }
    (to, req)
}

/// The body of a reply: after the header's blank line, gunzipped when the header says so.
fn body(reply: Vec<u8>) -> Result<Vec<u8>> {
    let Some(end) = reply.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(reply);
    };
    let head = String::from_utf8_lossy(&reply[..end + 2]).to_ascii_lowercase();
    let body = &reply[end + 4..];
    if head.contains("content-encoding: gzip\r\n") {
        return zlib::gunzip(body).ok_or_else(|| Error::new("gzip"));
    }
    Ok(body.to_vec())
}

fn text(x: &K) -> Result<String> {
    match x.t() {
        KC => Ok(String::from_utf8_lossy(x.bytes()).into_owned()),
        A_KS => Ok(x.s().as_str().into_owned()),
        _ => Err(Error::type_()),
    }
}

fn bytes(x: &K) -> Result<Vec<u8>> {
    match x.t() {
        KC | KG => Ok(x.bytes().to_vec()),
        A_KC | A_KG => Ok(vec![x.g()]),
        _ => Err(Error::type_()),
    }
}

fn fetch(x: &K, method: &str, content: Option<(&[u8], &[u8])>) -> Result<K> {
    let full = text(x)?;
    let url = parse_url(&full);
    let full = full.strip_prefix(':').unwrap_or(&full).to_string();
    let (to, req) = request(&url, &full, method, content);
    let (host, port) = to.endpoint()?;
    let reply = http::exchange(&host, port, to.tls(), &req).map_err(|e| match e {
        HttpError::Io(e) => crate::q::keywords::ipc::os_error(&e),
        HttpError::Tls(m) => Error::new(format!("conn. {m}")),
    })?;
    Ok(K::string(body(reply)?))
}

/// `.Q.hg x`: the body of the reply to GET `x`.
pub fn get(x: &K) -> Result<K> {
    fetch(x, "GET", None)
}

/// `.Q.hp[x;y;z]`: the body of the reply to POST `x` of content type `y` and body `z`.
pub fn post(x: &K, y: &K, z: &K) -> Result<K> {
    let (ty, body) = (bytes(y)?, bytes(z)?);
    fetch(x, "POST", Some((&ty, &body)))
}

/// `.Q.gz x`: a gzip stream's data; `.Q.gz(level;x)`: `x` gzipped at `level` (0-9).
pub fn gz(x: &K) -> Result<K> {
    if !zlib::available() {
        return Err(Error::new("libz.so"));
    }
    if x.t() == 0 && x.n() == 2 {
        let level = crate::q::eval::values::as_long(&x.items()[0]).ok_or_else(Error::type_)?;
        if !(0..=9).contains(&level) {
            return Err(Error::domain());
        }
        let data = bytes(&x.items()[1])?;
        let z = zlib::gzip(&data, level as i32).ok_or_else(|| Error::new("gzip"))?;
        return Ok(K::from_slice(KG, &z));
    }
    let data = bytes(x)?;
    let plain = zlib::gunzip(&data).ok_or_else(|| Error::new("gzip"))?;
    Ok(K::string(plain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_cut_as_q_cuts_them() {
        let u = parse_url(":http://user:pw@example.com:8080/a/b?c=1");
        assert_eq!(
            u,
            Url {
                scheme: "http://".into(),
                credentials: "user:pw".into(),
                authority: "example.com:8080".into(),
                path: "/a/b?c=1".into()
            }
        );
        assert_eq!(u.endpoint().unwrap(), ("example.com".into(), 8080));
        let u = parse_url("https://www.google.com");
        assert_eq!((u.path.as_str(), u.tls()), ("/", true));
        assert_eq!(u.endpoint().unwrap(), ("www.google.com".into(), 443));
    }

    #[test]
    fn no_proxy_names_hosts_and_domains() {
        assert!(bypasses_proxy("localhost", "localhost,.corp"));
        assert!(bypasses_proxy("a.corp", "localhost,.corp"));
        assert!(!bypasses_proxy("corp.example", "localhost,.corp"));
    }

    #[test]
    fn the_body_follows_the_blank_line() {
        let r = b"HTTP/1.1 200 OK\r\nX: y\r\n\r\nhello".to_vec();
        assert_eq!(body(r).unwrap(), b"hello");
    }
}
