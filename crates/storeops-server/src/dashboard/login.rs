//! Login and logout pages. The login form is protected against CSRF by a
//! double-submit token: a random value in a `SameSite=Strict` cookie scoped
//! to `/login` that the form must echo.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use cookie::{Cookie, SameSite};
use minijinja::context;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::render::{error_page, html};
use crate::auth::secrets::random_secret;
use crate::auth::session::{self, cleared_cookie};
use crate::auth::{identify, Caller};
use crate::error::ApiError;
use crate::state::AppState;

use axum::http::Method;
use axum::routing::{get, post};
use storeops_domain::Role;

use super::pages::Page;
use crate::routes::Access;
/// The login form, its post and logout.
pub(super) const PAGES: &[Page] = &[
    Page {
        method: Method::GET,
        path: "/login",
        access: Access::Public,
        nav: None,
        templates: &[("login.html", include_str!("../../templates/login.html"))],
        handler: || get(form),
    },
    Page {
        method: Method::POST,
        path: "/login",
        access: Access::Public,
        nav: None,
        templates: &[],
        handler: || post(submit),
    },
    Page {
        method: Method::POST,
        path: "/logout",
        access: Access::Role(Role::Viewer),
        nav: None,
        templates: &[],
        handler: || post(logout),
    },
];

/// Cookie carrying the login form's CSRF token.
const LOGIN_CSRF_COOKIE: &str = "storeops_login_csrf";

/// The login form fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `GET /login`: the form (or the overview when already logged in).
pub async fn form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Ok(Some(_)) = identify(&state, &headers).await {
        return Redirect::to("/").into_response();
    }
    render_form(&state, &headers, StatusCode::OK, "", None)
}

/// `POST /login`.
pub async fn submit(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = session::cookie(&headers, LOGIN_CSRF_COOKIE);
    let csrf_ok = expected
        .as_deref()
        .is_some_and(|e| !e.is_empty() && bool::from(e.as_bytes().ct_eq(form.csrf.as_bytes())));
    if !csrf_ok {
        return error_page(
            None,
            ApiError::forbidden("the login form expired or was not sent by this site; reload it")
                .with_field("csrf"),
        );
    }
    let ip = connect.map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0 .0.ip());
    match session::login(&state, &headers, form.username.trim(), &form.password, ip).await {
        Ok(cookie) => {
            let mut response = Redirect::to("/").into_response();
            append_cookie(&mut response, &cookie);
            append_cookie(&mut response, &login_csrf_removal());
            response
        }
        Err(e) if e.status.is_client_error() => {
            let mut response = render_form(
                &state,
                &headers,
                e.status,
                form.username.trim(),
                Some(&e.message),
            );
            if let Some(seconds) = e.retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
        Err(e) => error_page(None, e),
    }
}

/// `POST /logout` (session CSRF checked by the auth middleware).
pub async fn logout(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    if let Some(value) = session::cookie_value(&headers) {
        if let Err(e) = session::logout(&state, &value).await {
            return error_page(Some(&caller), e);
        }
    }
    let mut response = Redirect::to("/login").into_response();
    append_cookie(&mut response, &cleared_cookie());
    response
}

/// The form with a fresh CSRF cookie.
fn render_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    username: &str,
    error: Option<&str>,
) -> Response {
    let token = match random_secret() {
        Ok(t) => t,
        Err(e) => return error_page(None, ApiError::internal("login csrf", &e)),
    };
    let ctx = context! {
        title => "Log in",
        login_csrf => token,
        username => username,
        error => error,
    };
    let mut response = html(status, "login.html", ctx);
    let secure = session::secure(state.server.secure_cookies, headers);
    let cookie = Cookie::build((LOGIN_CSRF_COOKIE, token))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build();
    append_cookie(&mut response, &cookie);
    response
}

fn login_csrf_removal() -> Cookie<'static> {
    let mut cookie = Cookie::build((LOGIN_CSRF_COOKIE, ""))
        .path("/login")
        .build();
    cookie.make_removal();
    cookie
}

fn append_cookie(response: &mut Response, cookie: &Cookie<'_>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
