//! `notify.email`: one plain-text message over SMTP (lettre, tokio, rustls).
//! Inputs `to` (an address or a list), `subject`, `body`, optional `from`
//! (else the configured sender). Every message carries the step's
//! idempotency key in `X-Storeops-Idempotency-Key` and a `Message-ID`
//! derived from it, so receivers can drop repeats of an attempt re-run after
//! a crash. Failures: `smtp_not_configured` and `invalid_input` (not
//! retried), `timeout`, `network` (connection refused or dropped) and
//! `smtp_4xx` (retryable), `smtp_5xx`, `tls` and `smtp_protocol` (not).

use std::fmt;
use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::{json, Value};
use storeops_actions::{ActionSpec, Schema};
use storeops_engine::StepError;

use super::http_client::tls_failure;
use super::{fatal, str_input, transient, Action, ActionCtx, ActionFuture, ActionOutput};

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text (trusted local relays only).
    None,
    /// Plain connection upgraded with STARTTLS, which must succeed.
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

/// The SMTP server `notify.email` sends through.
#[derive(Clone)]
pub struct SmtpSettings {
    /// Server host name.
    pub host: String,
    /// Server port.
    pub port: u16,
    /// Login, when the server needs one.
    pub username: Option<String>,
    /// Password of `username`.
    pub password: Option<String>,
    /// Sender when the step gives no `from`.
    pub from: Option<String>,
    /// Connection security.
    pub tls: SmtpTls,
    /// CA certificates (PEM) trusted besides the Mozilla roots, for a
    /// server whose certificate a private CA signed.
    pub ca_pem: Option<Vec<u8>>,
    /// Limit of one delivery (connect, dialogue, data).
    pub timeout: Duration,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("tls", &self.tls)
            .field(
                "ca_pem",
                &self.ca_pem.as_ref().map(|p| format!("{} bytes", p.len())),
            )
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// `X-Storeops-Idempotency-Key`: the step's idempotency key.
#[derive(Debug, Clone)]
struct IdempotencyKey(String);

impl Header for IdempotencyKey {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Storeops-Idempotency-Key")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(IdempotencyKey(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `notify.email`.
pub(super) struct Email {
    smtp: Option<SmtpSettings>,
    spec: ActionSpec,
}

impl Email {
    pub(super) fn new(smtp: Option<SmtpSettings>) -> Email {
        let address = Schema::string();
        let spec = ActionSpec::new(
            "notify.email",
            "Sends one plain-text e-mail through the configured SMTP server \
             (`notify.email.*`), carrying the step's idempotency key.",
            Schema::object()
                .field(
                    "to",
                    Schema::any_of(vec![address.clone(), Schema::array(address)])
                        .doc("an address or a list of addresses"),
                )
                .field("subject", Schema::string())
                .field("body", Schema::string())
                .optional("from", Schema::string().doc("default `notify.email.from`")),
            Schema::object()
                .field("to", Schema::array(Schema::string()))
                .field("subject", Schema::string())
                .field("message_id", Schema::string())
                .field("response", Schema::string().doc("the server's final reply")),
        )
        .side_effects()
        .errors(&[
            "timeout",
            "network",
            "smtp_4xx",
            "smtp_5xx",
            "tls",
            "smtp_protocol",
            "smtp_not_configured",
        ]);
        Email { smtp, spec }
    }
}

impl Action for Email {
    fn spec(&self) -> &ActionSpec {
        &self.spec
    }

    fn execute<'a>(&'a self, ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a> {
        Box::pin(async move {
            let smtp = self.smtp.as_ref().ok_or_else(|| {
                fatal(
                    "smtp_not_configured",
                    "no SMTP server is configured: set notify.email.host (STOREOPS_SMTP_HOST)",
                )
            })?;
            let to = recipients(&input)?;
            let subject = str_input(&input, "subject")?;
            let body = str_input(&input, "body")?;
            let from =
                match input.get("from").filter(|v| !v.is_null()) {
                    Some(Value::String(s)) => mailbox("from", s)?,
                    Some(_) => return Err(fatal("invalid_input", "`from` must be a string")),
                    None => match &smtp.from {
                        Some(s) => mailbox("notify.email.from", s)?,
                        None => return Err(fatal(
                            "smtp_not_configured",
                            "no sender: give `from` or set notify.email.from (STOREOPS_SMTP_FROM)",
                        )),
                    },
                };
            let message_id = message_id(&ctx.idempotency_key);
            let mut builder = Message::builder()
                .from(from)
                .subject(subject)
                .message_id(Some(message_id.clone()))
                .header(IdempotencyKey(ctx.idempotency_key.clone()))
                .header(ContentType::TEXT_PLAIN);
            for mailbox in &to {
                builder = builder.to(mailbox.clone());
            }
            let message = builder
                .body(body.to_string())
                .map_err(|e| fatal("invalid_input", e.to_string()))?;
            let transport = transport(smtp)?;
            // lettre bounds connecting and each read it times, not a server
            // that accepts and never greets: the whole delivery is bounded.
            let response = tokio::time::timeout(smtp.timeout, transport.send(message))
                .await
                .map_err(|_| {
                    transient(
                        "timeout",
                        format!(
                            "the SMTP server {}:{} did not complete the delivery within {} s",
                            smtp.host,
                            smtp.port,
                            smtp.timeout.as_secs_f64()
                        ),
                    )
                })?
                .map_err(classify)?;
            Ok(ActionOutput::value(json!({
                "to": to.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "subject": subject,
                "message_id": message_id,
                "response": response.message().collect::<Vec<_>>().join(" "),
            })))
        })
    }
}

/// `to`: one address or a non-empty list of them.
fn recipients(input: &Value) -> Result<Vec<Mailbox>, StepError> {
    match input.get("to") {
        Some(Value::String(s)) => Ok(vec![mailbox("to", s)?]),
        Some(Value::Array(list)) if !list.is_empty() => list
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => mailbox(&format!("to[{i}]"), s),
                _ => Err(fatal(
                    "invalid_input",
                    format!("`to[{i}]` must be a string"),
                )),
            })
            .collect(),
        _ => Err(fatal(
            "invalid_input",
            "`to` must be an address or a non-empty list of addresses",
        )),
    }
}

fn mailbox(name: &str, text: &str) -> Result<Mailbox, StepError> {
    text.trim().parse::<Mailbox>().map_err(|e| {
        fatal(
            "invalid_input",
            format!("`{name}`: `{text}` is not an e-mail address ({e})"),
        )
    })
}

/// `<hex of the key@storeops>`: the same for every attempt of a step.
fn message_id(key: &str) -> String {
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("<{hex}@storeops>")
}

fn transport(smtp: &SmtpSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, StepError> {
    let tls = match smtp.tls {
        SmtpTls::None => Tls::None,
        SmtpTls::Starttls | SmtpTls::Tls => {
            let setup = |e: lettre::transport::smtp::Error| {
                fatal("tls", format!("TLS set-up for {}: {e}", smtp.host))
            };
            let mut parameters = TlsParameters::builder(smtp.host.clone());
            if let Some(pem) = &smtp.ca_pem {
                parameters =
                    parameters.add_root_certificate(Certificate::from_pem(pem).map_err(setup)?);
            }
            let parameters = parameters.build_rustls().map_err(setup)?;
            if smtp.tls == SmtpTls::Tls {
                Tls::Wrapper(parameters)
            } else {
                Tls::Required(parameters)
            }
        }
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.as_str())
        .port(smtp.port)
        .tls(tls)
        .timeout(Some(smtp.timeout));
    if let Some(username) = &smtp.username {
        builder = builder.credentials(Credentials::new(
            username.clone(),
            smtp.password.clone().unwrap_or_default(),
        ));
    }
    Ok(builder.build())
}

/// Classifies a failed delivery for `retry:` rules.
fn classify(e: lettre::transport::smtp::Error) -> StepError {
    // lettre reports a refused certificate as a connection error: find the
    // handshake's failure in the chain, so that it is not retried.
    if let Some(message) = tls_failure(&e) {
        return fatal("tls", message);
    }
    let message = e.to_string();
    if e.is_timeout() {
        transient("timeout", message)
    } else if e.is_transient() {
        transient("smtp_4xx", message)
    } else if e.is_permanent() {
        fatal("smtp_5xx", message)
    } else if e.is_tls() {
        fatal("tls", message)
    } else if e.is_client() || e.is_response() {
        fatal("smtp_protocol", message)
    } else {
        transient("network", message)
    }
}
