//! A loopback SMTP sink for the `notify.email` tests: speaks just enough
//! SMTP (220, EHLO → 250, MAIL/RCPT → 250 or a chosen reply, DATA → 354,
//! `.` → 250, QUIT → 221) and keeps every command and message it receives.
//! It may speak TLS from the first byte (SMTPS) or offer STARTTLS, with a
//! certificate a throwaway CA signed.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use super::https::throwaway_tls;

/// What the sink received, per connection.
#[derive(Debug, Default, Clone)]
pub struct Session {
    /// Command lines (EHLO, MAIL, RCPT, DATA, QUIT), without CRLF.
    pub commands: Vec<String>,
    /// Each message's text between DATA and the final `.`, CRLF kept.
    pub messages: Vec<String>,
    /// Whether the session went over TLS (from the start or after
    /// STARTTLS).
    pub tls: bool,
    /// A TLS handshake that failed, as the sink saw it.
    pub handshake_error: Option<String>,
}

/// A running sink.
pub struct SmtpSink {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// One entry per connection accepted.
    pub sessions: Arc<Mutex<Vec<Session>>>,
    /// The CA that signed the sink's certificate (PEM), for TLS sinks.
    pub ca_pem: Option<String>,
}

/// How the sink secures its connections.
#[derive(Clone)]
enum Security {
    Plain,
    Starttls(TlsAcceptor),
    Tls(TlsAcceptor),
}

type Log = Arc<Mutex<Vec<Session>>>;

/// Starts a plain sink that answers `rcpt_reply` (e.g. `250 OK`) to RCPT TO.
pub async fn smtp_sink(rcpt_reply: &'static str) -> SmtpSink {
    sink(rcpt_reply, Security::Plain, None).await
}

/// Starts a sink speaking TLS from the first byte (`starttls` false) or
/// offering STARTTLS (true), answering `250 OK` to RCPT TO.
pub async fn smtp_tls_sink(starttls: bool) -> SmtpSink {
    let (acceptor, ca_pem) = throwaway_tls();
    let security = if starttls {
        Security::Starttls(acceptor)
    } else {
        Security::Tls(acceptor)
    };
    sink("250 OK", security, Some(ca_pem)).await
}

async fn sink(rcpt_reply: &'static str, security: Security, ca_pem: Option<String>) -> SmtpSink {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sessions: Log = Arc::new(Mutex::new(Vec::new()));
    let all = Arc::clone(&sessions);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let index = {
                let mut list = all.lock().unwrap();
                list.push(Session::default());
                list.len() - 1
            };
            let conn = Conn {
                all: Arc::clone(&all),
                index,
                rcpt_reply,
            };
            tokio::spawn(conn.serve(socket, security.clone()));
        }
    });
    SmtpSink {
        port,
        sessions,
        ca_pem,
    }
}

/// One accepted connection and where its session is recorded.
struct Conn {
    all: Log,
    index: usize,
    rcpt_reply: &'static str,
}

impl Conn {
    fn record(&self, change: impl FnOnce(&mut Session)) {
        change(&mut self.all.lock().unwrap()[self.index]);
    }

    async fn serve(self, socket: TcpStream, security: Security) {
        match security {
            Security::Plain => {
                self.dialogue(BufReader::new(socket), true, false).await;
            }
            Security::Tls(acceptor) => self.over_tls(&acceptor, socket, true).await,
            Security::Starttls(acceptor) => {
                if let Some(plain) = self.dialogue(BufReader::new(socket), true, true).await {
                    // No new greeting after the upgrade.
                    self.over_tls(&acceptor, plain.into_inner(), false).await;
                }
            }
        }
    }

    async fn over_tls(&self, acceptor: &TlsAcceptor, socket: TcpStream, greet: bool) {
        match acceptor.accept(socket).await {
            Ok(tls) => {
                self.record(|s| s.tls = true);
                self.dialogue(BufReader::new(tls), greet, false).await;
            }
            Err(e) => self.record(|s| s.handshake_error = Some(e.to_string())),
        }
    }

    /// Greets (with `greet`), then answers commands until QUIT or the end
    /// of the stream (`None`), or until STARTTLS when `offer_starttls` (the
    /// stream, to upgrade).
    async fn dialogue<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        mut stream: BufReader<S>,
        greet: bool,
        offer_starttls: bool,
    ) -> Option<BufReader<S>> {
        if greet {
            stream
                .get_mut()
                .write_all(b"220 sink ESMTP\r\n")
                .await
                .ok()?;
        }
        let mut line = String::new();
        loop {
            line.clear();
            if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                return None;
            }
            let command = line.trim_end().to_string();
            self.record(|s| s.commands.push(command.clone()));
            let upper = command.to_ascii_uppercase();
            let reply = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                if offer_starttls {
                    "250-sink\r\n250 STARTTLS".to_string()
                } else {
                    "250 sink".to_string()
                }
            } else if upper.starts_with("STARTTLS") && offer_starttls {
                stream.get_mut().write_all(b"220 go ahead\r\n").await.ok()?;
                return Some(stream);
            } else if upper.starts_with("RCPT") {
                self.rcpt_reply.to_string()
            } else if upper.starts_with("DATA") {
                stream.get_mut().write_all(b"354 go ahead\r\n").await.ok()?;
                let mut message = String::new();
                loop {
                    line.clear();
                    if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return None;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    message.push_str(&line);
                }
                self.record(|s| s.messages.push(message));
                "250 queued as 1".to_string()
            } else if upper.starts_with("QUIT") {
                let _ = stream.get_mut().write_all(b"221 bye\r\n").await;
                let _ = stream.get_mut().shutdown().await;
                return None;
            } else {
                "250 OK".to_string()
            };
            let written = stream
                .get_mut()
                .write_all(format!("{reply}\r\n").as_bytes())
                .await;
            if written.is_err() {
                return None;
            }
        }
    }
}
