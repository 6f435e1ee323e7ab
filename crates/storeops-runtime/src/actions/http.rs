//! `http.request` and `notify.webhook`: calls to the outside world. Every
//! request carries `Idempotency-Key: <run>/<step>/<index>` so a target that
//! honours keys sees one effect however often the step is retried.
//! Failures are classified for `retry:` rules: `timeout`, `network`,
//! `http_5xx` and 429 retry; other `http_4xx` do not, nor does `tls` (a
//! certificate that does not verify, or a failed handshake: retrying the
//! same target cannot fix it). `https://` uses the registry's client (see
//! `http_client`): rustls, the Mozilla roots and any `http.ca_file` CAs.

use std::time::Duration;

use serde_json::{json, Value};
use storeops_actions::{ActionSpec, Schema};

use super::http_client::tls_failure;
use super::{
    fatal, str_input, transient, Action, ActionCtx, ActionFuture, ActionOutput, NET_ERRORS,
};

/// Default per-request timeout.
const DEFAULT_TIMEOUT_MS: u64 = 10_000;

/// Largest response body kept in the step output.
const MAX_KEPT_BODY: usize = 64 * 1024;

/// The output of both actions.
fn response() -> Schema {
    Schema::object()
        .field("status", Schema::integer().doc("HTTP status (2xx)"))
        .field(
            "body",
            Schema::any().doc("the response body: JSON, or text (first 64 KiB)"),
        )
}

/// `http.request`.
pub(super) struct Request {
    spec: ActionSpec,
}

impl Request {
    pub(super) fn new() -> Request {
        let input = Schema::object()
            .field("url", Schema::string().doc("http:// or https:// URL"))
            .optional(
                "method",
                Schema::string().doc("default POST with a body, else GET"),
            )
            .optional(
                "headers",
                Schema::map(Schema::any()).doc("request headers (non-strings are sent as JSON)"),
            )
            .optional("body", Schema::any().doc("sent as JSON"))
            .optional(
                "timeout_ms",
                Schema::integer_in(1, 600_000).doc("per-request timeout, default 10000"),
            )
            .optional(
                "hmac_secret",
                Schema::string().doc("signs the body as `X-Storeops-Signature`"),
            );
        Request {
            spec: ActionSpec::new(
                "http.request",
                "Calls an HTTP endpoint with `Idempotency-Key: <run>/<step>/<index>`.\n\n\
                 5xx, 429, timeouts and network errors are retryable; other 4xx and TLS \
                 failures are not.",
                input,
                response(),
            )
            .side_effects()
            .errors(NET_ERRORS),
        }
    }
}

impl Action for Request {
    fn spec(&self) -> &ActionSpec {
        &self.spec
    }

    fn execute<'a>(&'a self, ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a> {
        Box::pin(async move {
            let url = str_input(&input, "url")?;
            let body = input.get("body").filter(|b| !b.is_null());
            let method = match input.get("method").and_then(Value::as_str) {
                Some(m) => m.to_ascii_uppercase(),
                None if body.is_some() => "POST".to_string(),
                None => "GET".to_string(),
            };
            let method = reqwest::Method::from_bytes(method.as_bytes())
                .map_err(|_| fatal("invalid_input", format!("`method: {method}` is not valid")))?;
            let timeout = input
                .get("timeout_ms")
                .and_then(Value::as_u64)
                .unwrap_or(DEFAULT_TIMEOUT_MS);
            let mut request = ctx
                .http
                .request(method, url)
                .timeout(Duration::from_millis(timeout))
                .header("Idempotency-Key", &ctx.idempotency_key);
            if let Some(Value::Object(headers)) = input.get("headers") {
                for (name, value) in headers {
                    let value = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_string);
                    request = request.header(name.as_str(), value);
                }
            }
            if let Some(body) = body {
                let bytes = serde_json::to_vec(body)
                    .map_err(|e| fatal("invalid_input", format!("`body`: {e}")))?;
                if let Some(secret) = input.get("hmac_secret").and_then(Value::as_str) {
                    let t = chrono::Utc::now().timestamp();
                    let signature = storeops_webhooks::sign_generic(secret.as_bytes(), &bytes, t);
                    request = request.header("X-Storeops-Signature", signature);
                }
                request = request
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(bytes);
            }
            send(request).await
        })
    }
}

/// `notify.webhook`: posts Slack-compatible `{"text", "blocks"}` JSON.
pub(super) struct Webhook {
    spec: ActionSpec,
}

impl Webhook {
    pub(super) fn new() -> Webhook {
        Webhook {
            spec: ActionSpec::new(
                "notify.webhook",
                "Posts a Slack-compatible `{\"text\", \"blocks\"}` message to a webhook URL.",
                Schema::object()
                    .field("url", Schema::string())
                    .field("text", Schema::string())
                    .optional("blocks", Schema::any().doc("Slack blocks")),
                response(),
            )
            .side_effects()
            .errors(NET_ERRORS),
        }
    }
}

impl Action for Webhook {
    fn spec(&self) -> &ActionSpec {
        &self.spec
    }

    fn execute<'a>(&'a self, ctx: &'a ActionCtx, input: Value) -> ActionFuture<'a> {
        Box::pin(async move {
            let url = str_input(&input, "url")?;
            let text = str_input(&input, "text")?;
            let mut body = json!({ "text": text });
            if let Some(blocks) = input.get("blocks").filter(|b| !b.is_null()) {
                body["blocks"] = blocks.clone();
            }
            let request = ctx
                .http
                .post(url)
                .timeout(Duration::from_millis(DEFAULT_TIMEOUT_MS))
                .header("Idempotency-Key", &ctx.idempotency_key)
                .json(&body);
            send(request).await
        })
    }
}

/// Sends and classifies the response.
async fn send(
    request: reqwest::RequestBuilder,
) -> Result<ActionOutput, storeops_engine::StepError> {
    let response = request.send().await.map_err(|e| {
        if e.is_timeout() {
            transient("timeout", e.to_string())
        } else if e.is_builder() {
            fatal("invalid_input", e.to_string())
        } else if let Some(message) = tls_failure(&e) {
            match e.url() {
                Some(url) => fatal("tls", format!("{message} ({url})")),
                None => fatal("tls", message),
            }
        } else {
            transient("network", e.to_string())
        }
    })?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| transient("network", e.to_string()))?;
    let kept: String = text.chars().take(MAX_KEPT_BODY).collect();
    let body = serde_json::from_str::<Value>(&kept).unwrap_or(Value::String(kept));
    if status.is_success() {
        return Ok(ActionOutput::value(
            json!({ "status": status.as_u16(), "body": body }),
        ));
    }
    let message = format!("HTTP {}", status.as_u16());
    Err(if status.is_server_error() {
        transient("http_5xx", message)
    } else if status.as_u16() == 429 {
        transient("http_4xx", message)
    } else {
        fatal("http_4xx", message)
    })
}
