//! `notify.email` over TLS against a loopback SMTP sink whose certificate a
//! throwaway CA signed: with that CA in `ca_pem` (as `notify.email.ca_file`
//! configures it) a message goes out over SMTPS and over STARTTLS; without
//! it the step fails at once as a `tls` error and no message arrives.

use serde_json::json;
use storeops_runtime::{SmtpSettings, SmtpTls};
use storeops_store::Store;

use super::email::{setup_with, smtp, MAIL};
use crate::harness::{drive, start_run, status};
use crate::smtp::{smtp_tls_sink, SmtpSink};

fn settings(sink: &SmtpSink, tls: SmtpTls, trust: bool) -> SmtpSettings {
    SmtpSettings {
        tls,
        ca_pem: trust.then(|| sink.ca_pem.clone().unwrap().into_bytes()),
        ..smtp(sink.port)
    }
}

pub async fn email_over_tls_and_starttls_trusts_the_configured_ca(store: &Store) {
    for (id, tls, starttls) in [("t1", SmtpTls::Tls, false), ("t2", SmtpTls::Starttls, true)] {
        let sink = smtp_tls_sink(starttls).await;
        let registry =
            storeops_runtime::builtin(reqwest::Client::new(), Some(settings(&sink, tls, true)));
        let (clock, mut worker) = setup_with(store, MAIL, registry).await;
        start_run(store, &clock, "mail", id, json!({"order": "#2001"})).await;
        drive(&mut worker).await;
        assert_eq!(status(store, id).await, "completed", "{tls:?}");
        let sessions = sink.sessions.lock().unwrap().clone();
        assert_eq!(sessions.len(), 1, "{tls:?}");
        let session = &sessions[0];
        assert!(session.tls, "{tls:?}: the session stayed plain");
        assert_eq!(session.handshake_error, None);
        let commands: Vec<&str> = session
            .commands
            .iter()
            .map(String::as_str)
            .filter(|c| !c.starts_with("EHLO"))
            .collect();
        let mut expected = vec![
            "MAIL FROM:<ops@example.com>",
            "RCPT TO:<a@example.com>",
            "RCPT TO:<b@example.com>",
            "DATA",
            "QUIT",
        ];
        if starttls {
            expected.insert(0, "STARTTLS");
        }
        assert_eq!(commands, expected, "{tls:?}");
        assert_eq!(session.messages.len(), 1);
        assert!(
            session.messages[0].contains("Subject: Order #2001\r\n"),
            "{}",
            session.messages[0]
        );
    }
}

pub async fn email_over_tls_without_the_ca_fails_as_tls_and_is_not_retried(store: &Store) {
    let sink = smtp_tls_sink(false).await;
    let registry = storeops_runtime::builtin(
        reqwest::Client::new(),
        Some(settings(&sink, SmtpTls::Tls, false)),
    );
    let yaml = MAIL.replace(
        "retry_on: [smtp_4xx, smtp_5xx, network]",
        "retry_on: [tls, network]",
    );
    let (clock, mut worker) = setup_with(store, &yaml, registry).await;
    start_run(store, &clock, "mail", "t3", json!({"order": "#2003"})).await;
    drive(&mut worker).await;
    assert_eq!(status(store, "t3").await, "failed");
    let error = store.run("t3").await.unwrap().unwrap().error.unwrap();
    assert_eq!(
        error,
        "step `send` failed after 1 attempt(s): tls: certificate verification failed: \
         invalid peer certificate: UnknownIssuer"
    );
    let sessions = sink.sessions.lock().unwrap().clone();
    assert_eq!(sessions.len(), 1);
    assert!(
        sessions[0].commands.is_empty(),
        "{:?}",
        sessions[0].commands
    );
    assert!(sessions[0].messages.is_empty());
    let seen = sessions[0].handshake_error.clone().unwrap_or_default();
    assert!(seen.contains("UnknownCA"), "{seen}");
}
