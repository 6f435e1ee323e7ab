//! A loopback SMTP sink for the `notify.email` tests: speaks just enough
//! SMTP (220, EHLO → 250, MAIL/RCPT → 250 or a chosen reply, DATA → 354,
//! `.` → 250, QUIT → 221) and keeps every command and message it receives.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the sink received, per connection.
#[derive(Debug, Default, Clone)]
pub struct Session {
    /// Command lines (EHLO, MAIL, RCPT, DATA, QUIT), without CRLF.
    pub commands: Vec<String>,
    /// Each message's text between DATA and the final `.`, CRLF kept.
    pub messages: Vec<String>,
}

/// A running sink.
pub struct SmtpSink {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// One entry per connection accepted.
    pub sessions: Arc<Mutex<Vec<Session>>>,
}

/// Starts a sink that answers `rcpt_reply` (e.g. `250 OK`) to RCPT TO.
pub async fn smtp_sink(rcpt_reply: &'static str) -> SmtpSink {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sessions = Arc::new(Mutex::new(Vec::new()));
    let all = Arc::clone(&sessions);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let index = {
                let mut list = all.lock().unwrap();
                list.push(Session::default());
                list.len() - 1
            };
            let all = Arc::clone(&all);
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read);
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        break;
                    }
                    let command = line.trim_end().to_string();
                    all.lock().unwrap()[index].commands.push(command.clone());
                    let upper = command.to_ascii_uppercase();
                    let reply = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        "250 sink".to_string()
                    } else if upper.starts_with("RCPT") {
                        rcpt_reply.to_string()
                    } else if upper.starts_with("DATA") {
                        let _ = write.write_all(b"354 go ahead\r\n").await;
                        let mut message = String::new();
                        loop {
                            line.clear();
                            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == ".\r\n" {
                                break;
                            }
                            message.push_str(&line);
                        }
                        all.lock().unwrap()[index].messages.push(message);
                        "250 queued as 1".to_string()
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        "250 OK".to_string()
                    };
                    if write
                        .write_all(format!("{reply}\r\n").as_bytes())
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    SmtpSink { port, sessions }
}
