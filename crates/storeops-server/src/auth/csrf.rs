//! CSRF check for session-authenticated unsafe requests: the session's
//! token must come back in the `X-CSRF-Token` header (htmx, fetch) or, for
//! an HTML form post, in the `csrf` form field.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header;
use subtle::ConstantTimeEq;

use crate::error::ApiError;

/// Form field that carries the token.
pub const CSRF_FIELD: &str = "csrf";
/// Header that carries the token.
const CSRF_HEADER: &str = "x-csrf-token";

/// Passes the request on when it carries `expected`; reads (and restores)
/// a form body to find the field.
pub(super) async fn check(
    request: Request,
    expected: &str,
    max_body: usize,
) -> Result<Request, ApiError> {
    if let Some(sent) = request.headers().get(CSRF_HEADER) {
        return if equal(sent.as_bytes(), expected) {
            Ok(request)
        } else {
            Err(refused())
        };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(refused());
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, max_body)
        .await
        .map_err(|_| ApiError::too_large(max_body as u64))?;
    let sent = form_value(&bytes, CSRF_FIELD);
    if !sent.is_some_and(|s| equal(s.as_bytes(), expected)) {
        return Err(refused());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The first value of `field` in a urlencoded form.
fn form_value(body: &[u8], field: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == field)
        .map(|(_, v)| v)
}

fn equal(sent: &[u8], expected: &str) -> bool {
    sent.ct_eq(expected.as_bytes()).into()
}

fn refused() -> ApiError {
    ApiError::forbidden("missing or wrong CSRF token; reload the page and try again")
        .with_field(CSRF_FIELD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_field_in_a_form() {
        assert_eq!(
            form_value(b"a=1&csrf=abc%2F&b=2", "csrf").as_deref(),
            Some("abc/")
        );
        assert_eq!(form_value(b"a=1", "csrf"), None);
        assert!(equal(b"abc", "abc"));
        assert!(!equal(b"abd", "abc"));
        assert!(!equal(b"ab", "abc"));
    }
}
