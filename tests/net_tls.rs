//! TLS connections (khpunc capability bit 2) to the test server serving TLS with a certificate
//! made by Python's `trustme` (a throwaway CA and a server certificate for localhost,
//! 127.0.0.1 and ::1). The settings come from kdb+'s environment variables, so the scenarios
//! run in one test, one after another, each setting its variables first.

#[path = "net/support.rs"]
mod support;

use q::obj::{Sym, K};
use support::*;

const TLS: i32 = 2;

fn clear_env() {
    for v in [
        "SSL_CA_CERT_FILE",
        "SSL_CA_CERT_PATH",
        "SSL_VERIFY_SERVER",
        "SSL_CERT_FILE",
        "SSL_KEY_FILE",
    ] {
        std::env::remove_var(v);
        std::env::remove_var(format!("KX_{v}"));
    }
}

fn ssl_info() -> Option<K> {
    // SAFETY: sslInfo returns a new object (or null with the error pending).
    unsafe { K::from_raw(q::ffi::net::sslInfo(std::ptr::null_mut())) }
}

fn info_value(info: &K, key: &str) -> String {
    let (keys, values) = (&info.items()[0], &info.items()[1]);
    let i = keys
        .as_slice::<Sym>()
        .iter()
        .position(|s| *s == Sym::new(key))
        .unwrap_or_else(|| panic!("no {key}"));
    string(&values.items()[i])
}

#[test]
fn tls_connections_follow_kdbs_environment() {
    let dir = std::env::temp_dir().join(format!("libq-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let Some(s) = Server::start(&["--tls-dir", dir.to_str().unwrap()]) else {
        return;
    };
    let ca = dir.join("ca.pem");
    clear_env();

    // Verified against the CA named in SSL_CA_CERT_FILE (KX_ prefix wins over plain).
    std::env::set_var("SSL_CA_CERT_FILE", "/nonexistent/ca.pem");
    std::env::set_var("KX_SSL_CA_CERT_FILE", &ca);
    for host in ["127.0.0.1", "localhost"] {
        let h = khpunc(host, s.port, "u:p", 5000, TLS);
        assert!(h > 0, "TLS to {host} returned {h}");
        assert_eq!(k(h, Some("2+2"), vec![]).unwrap().j(), 4);
        let big: Vec<i64> = (0..100_000).collect();
        assert_eq!(
            longs(&k(h, Some("echo"), vec![K::from_slice::<i64>(7, &big)]).unwrap()),
            big
        );
        q::ffi::net::kclose(h);
    }
    let info = ssl_info().expect("sslInfo");
    assert_eq!(info.t(), 99);
    assert_eq!(
        info_value(&info, "SSL_CA_CERT_FILE"),
        ca.display().to_string()
    );
    assert_eq!(info_value(&info, "SSL_VERIFY_SERVER"), "YES");
    assert_eq!(info_value(&info, "SSL_VERIFY_CLIENT"), "NO");
    assert!(info_value(&info, "SSLEAY_VERSION").starts_with("rustls"));

    // SSL_CERT_FILE alone is often another program's CA bundle: no client certificate then.
    std::env::set_var("SSL_CERT_FILE", &ca);
    let h = khpunc("127.0.0.1", s.port, "u:p", 5000, TLS);
    assert!(h > 0, "TLS with a lone SSL_CERT_FILE returned {h}");
    q::ffi::net::kclose(h);
    // A named key file that cannot be read is an init error.
    std::env::set_var("SSL_KEY_FILE", dir.join("missing-key.pem"));
    assert_eq!(khpunc("127.0.0.1", s.port, "u:p", 5000, TLS), -3);

    // A CA file that cannot be read: TLS cannot be initialised (-3), and sslInfo says why.
    clear_env();
    std::env::set_var("SSL_CA_CERT_FILE", dir.join("missing.pem"));
    assert_eq!(khpunc("127.0.0.1", s.port, "u:p", 5000, TLS), -3);
    assert_eq!(khpunc("", -1, "", 0, TLS), -3);
    assert!(ssl_info().is_none());
    let e = q::ffi::errors::ee(std::ptr::null_mut());
    // SAFETY: ee returns a new error object.
    let e = unsafe { K::from_raw(e) }.unwrap();
    assert_eq!(e.t(), -128);
    assert!(
        e.s().as_str().starts_with("SSL_CA_CERT_FILE"),
        "{:?}",
        e.s().as_str()
    );

    // A CA that did not sign the server's certificate: the handshake fails (-1).
    clear_env();
    let empty = dir.join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    std::env::set_var("SSL_CA_CERT_FILE", &empty);
    std::env::set_var("SSL_CA_CERT_PATH", &dir);
    std::fs::remove_file(dir.join("ca.pem")).unwrap();
    assert_eq!(khpunc("127.0.0.1", s.port, "u:p", 5000, TLS), -1);

    // SSL_VERIFY_SERVER=NO accepts the certificate unverified.
    clear_env();
    std::env::set_var("SSL_VERIFY_SERVER", "NO");
    let h = khpunc("127.0.0.1", s.port, "u:p", 5000, TLS);
    assert!(h > 0, "unverified TLS returned {h}");
    assert_eq!(
        k(h, Some("til 5"), vec![]).map(|x| longs(&x)),
        Some(vec![0, 1, 2, 3, 4])
    );
    q::ffi::net::kclose(h);
    assert_eq!(info_value(&ssl_info().unwrap(), "SSL_VERIFY_SERVER"), "NO");
    assert_eq!(khpunc("", -1, "", 0, TLS), -1);

    // The timeout covers the TLS handshake: a peer that accepts and never speaks gives -2.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    assert_eq!(khpunc("127.0.0.1", silent_port, "u:p", 100, TLS), -2);

    clear_env();
    let _ = std::fs::remove_dir_all(&dir);
}
