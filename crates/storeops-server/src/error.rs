//! API errors: one JSON shape, `{"error": {"code", "message", "field"}}`,
//! with the HTTP status that fits (SPEC.md "Shared contracts").

use std::borrow::Cow;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use storeops_app::AppError;
use storeops_runtime::RuntimeError;
use storeops_store::StoreError;

/// An error answered to an HTTP client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code (`unauthorized`, `not_found`, an
    /// action's error kind, …).
    pub code: Cow<'static, str>,
    /// What went wrong, for people.
    pub message: String,
    /// The request field at fault, when one is.
    pub field: Option<String>,
    /// Seconds to wait before retrying (429 / 503).
    pub retry_after: Option<u64>,
}

/// The JSON body of an error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Error details.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable code.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// Field at fault, if any.
    pub field: Option<String>,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: Cow::Borrowed(code),
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// Names the field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    /// 400: the request is malformed.
    pub fn bad_request(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message).with_field(field)
    }

    /// 401: no or bad credentials.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: authenticated, but the role may not.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 422: well-formed, but a value is not acceptable.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message).with_field(field)
    }

    /// An action that ran and failed, with its error kind as the code:
    /// 404 for `not_found`, 422 for `invalid_input`, 503 for `db`, else 502.
    pub fn action_failed(kind: &str, message: impl Into<String>) -> ApiError {
        let status = match kind {
            "not_found" => StatusCode::NOT_FOUND,
            "invalid_input" => StatusCode::UNPROCESSABLE_ENTITY,
            "db" => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_GATEWAY,
        };
        let mut e = ApiError::new(status, "action_failed", message);
        e.code = Cow::Owned(kind.to_string());
        e
    }

    /// 413.
    pub fn too_large(limit: u64) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("request body is larger than {limit} bytes"),
        )
    }

    /// 503: a dependency (the database) is unavailable.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        let mut e = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message);
        e.retry_after = Some(1);
        e
    }

    /// 500, logged; the client sees no internals.
    pub fn internal(context: &str, error: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(%error, "{context}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; see the server log",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::InvalidQuery { field, message } => ApiError::invalid(&field, message),
            StoreError::NotFound { what, key } => {
                ApiError::not_found(format!("{what} `{key}` does not exist"))
            }
            StoreError::Conflict {
                what: "closed item",
                key,
            } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("`{key}` is already closed"),
            ),
            StoreError::Conflict { what, key } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("{what} `{key}` exists already"),
            ),
            other if other.is_unavailable() => {
                tracing::error!(error = %other, "database unavailable");
                ApiError::unavailable("database unavailable")
            }
            other => ApiError::internal("store error", &other),
        }
    }
}

impl From<RuntimeError> for ApiError {
    fn from(e: RuntimeError) -> ApiError {
        match e {
            RuntimeError::Store(s) => s.into(),
            RuntimeError::UnknownWorkflow(_) | RuntimeError::NotFound(_) => {
                ApiError::not_found(e.to_string())
            }
            RuntimeError::WorkflowOff(_) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string())
            }
            RuntimeError::Refused { field, message } => ApiError::invalid(field, message),
            RuntimeError::Forbidden(message) => ApiError::forbidden(message),
            RuntimeError::Invalid(message) => ApiError::invalid("definition", message),
            other => ApiError::internal("workflow runtime error", &other),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        match e {
            AppError::Store(s) => s.into(),
            AppError::Ingest { source, .. } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                source.to_string(),
            )
            .with_field("body"),
            AppError::Usage(message) => {
                ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
            }
            other => ApiError::internal("application error", &other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.into_owned(),
                message: self.message,
                field: self.field,
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
