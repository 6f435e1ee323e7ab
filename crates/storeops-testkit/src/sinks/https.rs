//! A loopback HTTPS sink for the TLS tests of `http.request` and
//! `notify.webhook` (its TLS set-up also serves the SMTP sink): a throwaway
//! CA (rcgen, ring) made per sink signs a certificate for `127.0.0.1` and
//! `localhost`; the server (tokio-rustls, ring) answers `{"ok":true}` to every request and keeps each request
//! (head and whole body) as text, and each failed handshake's error.

use std::sync::{Arc, Mutex};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

/// A running sink.
pub struct HttpsSink {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// The CA certificate that signed the server's certificate (PEM).
    pub ca_pem: String,
    /// Requests received, head and body as sent.
    pub requests: Arc<Mutex<Vec<String>>>,
    /// Handshakes that failed, as the server saw them.
    pub handshake_errors: Arc<Mutex<Vec<String>>>,
}

/// A TLS acceptor for a certificate of `127.0.0.1` and `localhost` that a
/// throwaway CA signed, and that CA's certificate (PEM).
pub fn throwaway_tls() -> (tokio_rustls::TlsAcceptor, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "storeops test CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();

    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf_params =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "storeops test server");
    let leaf = leaf_params.signed_by(&leaf_key, &ca).unwrap();

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], key)
        .unwrap();
    (tokio_rustls::TlsAcceptor::from(Arc::new(config)), ca.pem())
}

/// Starts a sink on a free loopback port.
pub async fn https_sink() -> HttpsSink {
    let (acceptor, ca_pem) = throwaway_tls();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let handshake_errors = Arc::new(Mutex::new(Vec::new()));
    let (seen, failed) = (Arc::clone(&requests), Arc::clone(&handshake_errors));
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, seen, failed) =
                (acceptor.clone(), Arc::clone(&seen), Arc::clone(&failed));
            tokio::spawn(async move {
                let mut tls = match acceptor.accept(socket).await {
                    Ok(tls) => tls,
                    Err(e) => {
                        failed.lock().unwrap().push(e.to_string());
                        return;
                    }
                };
                let Some(request) = read_request(&mut tls).await else {
                    return;
                };
                seen.lock().unwrap().push(request);
                let reply = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{\"ok\":true}";
                let _ = tls.write_all(reply).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    HttpsSink {
        port,
        ca_pem,
        requests,
        handshake_errors,
    }
}

/// Reads one request: the head, then `content-length` bytes of body.
async fn read_request(stream: &mut (impl AsyncRead + Unpin)) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}
