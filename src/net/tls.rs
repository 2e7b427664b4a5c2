//! TLS for khpunc's capability bit 2, with rustls, configured the way kdb+ configures OpenSSL:
//! from environment variables, each looked up first with the `KX_` prefix (`KX_SSL_CA_CERT_FILE`
//! before `SSL_CA_CERT_FILE`), with defaults under the OpenSSL directory.
//!
//! - `SSL_VERIFY_SERVER` (default YES): verify the server's chain against the CA certificates
//!   in `SSL_CA_CERT_FILE` (default `<dir>/cacert.pem`) and `SSL_CA_CERT_PATH` (default
//!   `<dir>/certs`). As with kdb+ (OpenSSL without a host check) the chain must be trusted but
//!   the server's name is not compared with the host. `NO` accepts any certificate.
//! - `SSL_CERT_FILE`/`SSL_KEY_FILE`: the client certificate, presented when both files are
//!   readable (an unreadable pair is an init error only when `SSL_KEY_FILE` is named).
//! - `SSL_CIPHER_LIST`, `SSL_VERIFY_CLIENT`: reported by `sslInfo`; rustls chooses its own
//!   (modern) cipher suites and the client side has nothing to verify.
//!
//! Differences from kdb+: expired certificates are rejected (kdb+ accepts them), and OpenSSL
//! cipher names are not interpreted.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

/// The TLS settings in force, read from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub cert_file: PathBuf,
    pub key_file: PathBuf,
    pub ca_cert_file: PathBuf,
    pub ca_cert_path: PathBuf,
    pub cipher_list: String,
    pub verify_client: bool,
    pub verify_server: bool,
    /// Which of the files above were named in the environment (a named file that cannot be
    /// read is an initialisation error; a missing default is not).
    explicit: Explicit,
}

#[derive(Debug, Clone, Default)]
struct Explicit {
    key: bool,
    ca_file: bool,
    ca_path: bool,
}

/// kdb+'s precedence: `KX_NAME` over `NAME`.
fn env(name: &str) -> Option<String> {
    std::env::var(format!("KX_{name}"))
        .or_else(|_| std::env::var(name))
        .ok()
        .filter(|v| !v.is_empty())
}

fn yes(v: Option<String>, default: bool) -> bool {
    v.map_or(default, |v| !v.eq_ignore_ascii_case("NO") && v != "0")
}

/// Where OpenSSL keeps its files on this system (what `openssl version -d` reports).
fn openssl_dir() -> PathBuf {
    ["/usr/lib/ssl", "/etc/pki/tls", "/etc/ssl", "/usr/local/ssl"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from("/usr/lib/ssl"))
}

impl Settings {
    pub fn from_env() -> Settings {
        let dir = openssl_dir();
        let path = |name: &str, default: &str| -> (PathBuf, bool) {
            match env(name) {
                Some(v) => (PathBuf::from(v), true),
                None => (dir.join(default), false),
            }
        };
        let (cert_file, _) = path("SSL_CERT_FILE", "server-crt.pem");
        let (key_file, key) = path("SSL_KEY_FILE", "server-key.pem");
        let (ca_cert_file, ca_file) = path("SSL_CA_CERT_FILE", "cacert.pem");
        let (ca_cert_path, ca_path) = path("SSL_CA_CERT_PATH", "certs");
        Settings {
            cert_file,
            key_file,
            ca_cert_file,
            ca_cert_path,
            cipher_list: env("SSL_CIPHER_LIST").unwrap_or_else(|| "ALL".into()),
            verify_client: yes(env("SSL_VERIFY_CLIENT"), false),
            verify_server: yes(env("SSL_VERIFY_SERVER"), true),
            explicit: Explicit {
                key,
                ca_file,
                ca_path,
            },
        }
    }

    /// What `sslInfo` reports, in kdb+'s order: (name, value) pairs.
    pub fn report(&self) -> Vec<(&'static str, String)> {
        let yn = |b: bool| if b { "YES" } else { "NO" }.to_string();
        vec![
            ("SSLEAY_VERSION", version()),
            ("SSL_CERT_FILE", self.cert_file.display().to_string()),
            ("SSL_CA_CERT_FILE", self.ca_cert_file.display().to_string()),
            ("SSL_CA_CERT_PATH", self.ca_cert_path.display().to_string()),
            ("SSL_KEY_FILE", self.key_file.display().to_string()),
            ("SSL_CIPHER_LIST", self.cipher_list.clone()),
            ("SSL_VERIFY_CLIENT", yn(self.verify_client)),
            ("SSL_VERIFY_SERVER", yn(self.verify_server)),
        ]
    }

    /// Builds the client configuration; an error here is kdb+'s "TLS init failed" (-3).
    pub fn client_config(&self) -> Result<Arc<ClientConfig>, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier: Arc<dyn ServerCertVerifier> = if self.verify_server {
            let roots = self.roots()?;
            // No trusted certificate at all is not an init error (OpenSSL starts without
            // any): every server is then rejected at the handshake.
            let chain = if roots.is_empty() {
                None
            } else {
                Some(
                    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                        .build()
                        .map_err(|e| format!("SSL_CA_CERT_FILE: {e}"))?,
                )
            };
            Arc::new(KdbVerifier {
                trust: Trust::Chain(chain),
                provider: provider.clone(),
            })
        } else {
            Arc::new(KdbVerifier {
                trust: Trust::Any,
                provider: provider.clone(),
            })
        };
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let config = match self.client_identity()? {
            Some((certs, key)) => builder
                .with_client_auth_cert(certs, key)
                .map_err(|e| format!("SSL_KEY_FILE: {e}"))?,
            None => builder.with_no_client_auth(),
        };
        Ok(Arc::new(config))
    }

    fn roots(&self) -> Result<RootCertStore, String> {
        let mut roots = RootCertStore::empty();
        if self.ca_cert_file.is_file() || self.explicit.ca_file {
            let certs =
                read_certs(&self.ca_cert_file).map_err(|e| format!("SSL_CA_CERT_FILE: {e}"))?;
            roots.add_parsable_certificates(certs);
        }
        if self.explicit.ca_path || roots.is_empty() {
            match std::fs::read_dir(&self.ca_cert_path) {
                Ok(dir) => {
                    for entry in dir.flatten() {
                        // Hash links and bundles alike; files that are not PEM certificates
                        // are skipped, as OpenSSL's lookup would never match them.
                        if let Ok(certs) = read_certs(&entry.path()) {
                            roots.add_parsable_certificates(certs);
                        }
                    }
                }
                Err(e) if self.explicit.ca_path => return Err(format!("SSL_CA_CERT_PATH: {e}")),
                Err(_) => {}
            }
        }
        Ok(roots)
    }

    /// The client certificate. `SSL_CERT_FILE` alone is often set by other OpenSSL users to a
    /// CA bundle, so the pair is required only when `SSL_KEY_FILE` is named; otherwise it is
    /// used when both files are there and readable, and quietly skipped when not.
    fn client_identity(
        &self,
    ) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>, String> {
        let load = || -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), String> {
            let certs = read_certs(&self.cert_file).map_err(|e| format!("SSL_CERT_FILE: {e}"))?;
            if certs.is_empty() {
                return Err("SSL_CERT_FILE: no certificate".into());
            }
            let key = PrivateKeyDer::from_pem_file(&self.key_file)
                .map_err(|e| format!("SSL_KEY_FILE: {e}"))?;
            Ok((certs, key))
        };
        if self.explicit.key {
            return load().map(Some);
        }
        if !(self.cert_file.is_file() && self.key_file.is_file()) {
            return Ok(None);
        }
        Ok(load().ok())
    }
}

fn read_certs(path: &Path) -> io::Result<Vec<CertificateDer<'static>>> {
    CertificateDer::pem_file_iter(path)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
}

pub fn version() -> String {
    "rustls 0.23 (ring)".into()
}

/// The name rustls needs for SNI and the handshake: the host as given (an IP address or a DNS
/// name), `localhost` when empty.
pub fn server_name(host: &str) -> Result<ServerName<'static>, String> {
    let host = if host.is_empty() || host == "0.0.0.0" {
        "localhost"
    } else {
        host
    };
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    ServerName::try_from(host.to_string()).map_err(|e| e.to_string())
}

/// Which server certificates kdb+'s settings accept.
#[derive(Debug)]
enum Trust {
    /// `SSL_VERIFY_SERVER=NO`: any certificate (the handshake signatures are still checked).
    Any,
    /// A chain to a trusted root is enough: the host name is not checked, as with kdb+'s
    /// OpenSSL setup. None: no trusted roots at all, so every server is rejected.
    Chain(Option<Arc<WebPkiServerVerifier>>),
}

#[derive(Debug)]
struct KdbVerifier {
    trust: Trust,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for KdbVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chain = match &self.trust {
            Trust::Any => return Ok(ServerCertVerified::assertion()),
            Trust::Chain(chain) => chain,
        };
        let Some(chain) = chain else {
            return Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            ));
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            // webpki checks the name only after the chain has verified.
            Err(rustls::Error::InvalidCertificate(CertificateError::NotValidForName))
            | Err(rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
                ..
            })) => Ok(ServerCertVerified::assertion()),
            r => r,
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
