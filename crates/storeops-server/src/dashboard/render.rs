//! Rendering pages: the template set, the context every page gets (caller,
//! CSRF token, navigation), security headers, and HTML error pages.

use std::sync::OnceLock;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{context, Environment, Value};

use super::pages::nav;
use crate::auth::Caller;
use crate::error::ApiError;

/// Content-Security-Policy of every page: only our own scripts and styles.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The templates pages share (layout, errors, lists), compiled into the
/// binary; each page brings its own in its [`super::pages::Page`] entry.
/// Names ending in `.html` are auto-escaped.
const SHARED: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("list.html", include_str!("../../templates/list.html")),
    (
        "list_rows.html",
        include_str!("../../templates/list_rows.html"),
    ),
];

/// Every template: the shared ones, then each page's.
fn sources() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    SHARED
        .iter()
        .chain(super::pages::all().flat_map(|p| p.templates.iter()))
}

/// Every template, compiled once.
pub fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in sources() {
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "template does not compile");
            }
        }
        env
    })
}

/// Renders `template` for `caller` on page `current` with `ctx` merged in.
pub fn page(caller: &Caller, current: &str, template: &str, title: &str, ctx: Value) -> Response {
    let nav: Vec<_> = nav()
        .iter()
        .filter(|item| caller.role.allows(item.role))
        .collect();
    let full = context! {
        caller => context! { name => caller.name, role => caller.role.as_str() },
        csrf => caller.csrf(),
        nav => nav,
        current => current,
        title => title,
        ..ctx
    };
    html(StatusCode::OK, template, full)
}

/// Renders a template with exactly `ctx`, adding the security headers.
pub fn html(status: StatusCode, template: &str, ctx: Value) -> Response {
    let rendered = templates()
        .get_template(template)
        .and_then(|t| t.render(ctx));
    match rendered {
        Ok(body) => with_headers((status, Html(body)).into_response()),
        Err(e) => {
            tracing::error!(template, error = %e, "rendering failed");
            with_headers(
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Html("<h1>Internal error</h1>"),
                )
                    .into_response(),
            )
        }
    }
}

/// An error as an HTML page (for dashboard handlers).
pub fn error_page(caller: Option<&Caller>, error: ApiError) -> Response {
    let title = match error.status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        s if s.is_client_error() => "Request refused",
        _ => "Something went wrong",
    };
    let ctx = context! {
        caller => caller.map(|c| context! { name => c.name, role => c.role.as_str() }),
        csrf => caller.and_then(Caller::csrf),
        nav => nav().iter().filter(|i| caller.is_some_and(|c| c.role.allows(i.role))).collect::<Vec<_>>(),
        title => title,
        message => error.message,
    };
    html(error.status, "error.html", ctx)
}

/// Adds CSP and the other browser hardening headers.
pub fn with_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let mut env = Environment::new();
        for (name, source) in sources() {
            assert!(
                env.add_template(name, source).is_ok(),
                "{name} does not compile"
            );
        }
    }

    #[test]
    fn no_template_has_inline_script_or_style() {
        for (name, source) in sources() {
            let lower = source.to_lowercase();
            assert!(!lower.contains("style="), "{name} has a style attribute");
            assert!(!lower.contains("<style"), "{name} has a style element");
            for (i, _) in lower.match_indices(" on") {
                let rest = lower[i + 3..].trim_start_matches(|c: char| c.is_ascii_alphabetic());
                assert!(!rest.starts_with('='), "{name} has an inline event handler");
            }
            for (i, _) in lower.match_indices("<script") {
                let tag = &lower[i..lower[i..].find('>').map_or(lower.len(), |e| i + e)];
                assert!(tag.contains(" src="), "{name} has an inline script");
            }
        }
    }
}
