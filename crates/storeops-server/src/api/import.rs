//! `POST /api/v1/import/{kind}`: the CLI's import over HTTP. The body is
//! streamed into the same parser and batched writer as `storeops import`
//! (nothing is buffered whole), and the answer is the same per-row report.

use std::path::Path as FsPath;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::Json;
use futures_util::StreamExt;
use indicatif::ProgressBar;
use serde::Deserialize;
use storeops_app::import::{import_reader, ImportOptions, ImportReport};
use storeops_domain::{RecordKind, Role};
use storeops_ingest::{Format, ReaderOptions};
use tokio_util::io::{StreamReader, SyncIoBridge};

use crate::error::{ApiError, ErrorBody};
use crate::routes::{Access, Routes};
use crate::state::AppState;

/// Import options in the query string.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `shopify-csv` or `jsonl`; default: shopify-csv where Shopify exports the kind.
    pub format: Option<String>,
}

/// Registers the import endpoint (operator and up; no body-size default,
/// `server.max_import_bytes` applies while streaming).
pub fn routes(routes: Routes) -> Routes {
    routes.api(Access::Role(Role::Operator), utoipa_axum::routes!(import))
}

/// Import a file of one record kind (Shopify CSV export or JSONL), streamed.
/// Bad rows are reported per field and do not stop the rest.
#[utoipa::path(post, path = "/api/v1/import/{kind}", tag = "import",
    params(("kind" = String, Path, description = "products, customers, orders, inventory, shipments, returns, tickets or docs"), ImportParams),
    request_body(content = String, description = "The file", content_type = "text/csv"),
    responses(
        (status = 200, description = "Import report (rows rejected are listed)", body = serde_json::Value),
        (status = 401, description = "No credentials", body = ErrorBody),
        (status = 403, description = "Role below operator", body = ErrorBody),
        (status = 413, description = "Body larger than server.max_import_bytes", body = ErrorBody),
        (status = 422, description = "Unknown kind/format, or the file cannot be read at all", body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    Query(params): Query<ImportParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ImportReport>, ApiError> {
    let kind = RecordKind::parse(&kind).map_err(|e| ApiError::invalid("kind", e.to_string()))?;
    let format = match params.format.as_deref() {
        Some(f) => f
            .parse::<Format>()
            .map_err(|e| ApiError::invalid("format", e.to_string()))?,
        None => Format::default_for(kind),
    };
    let limit = state.server.max_import_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::too_large(limit));
    }
    let exceeded = Arc::new(AtomicBool::new(false));
    let input = limited_reader(body, limit, exceeded.clone());
    let options = ImportOptions {
        kind,
        format,
        batch_size: state.config.import_batch_size,
        reader: ReaderOptions {
            currency: state.config.import_currency,
        },
    };
    let result = import_reader(
        &state.store,
        Box::new(input),
        FsPath::new("request body"),
        &options,
        &ProgressBar::hidden(),
    )
    .await;
    if exceeded.load(Ordering::Relaxed) {
        return Err(ApiError::too_large(limit));
    }
    Ok(Json(result?))
}

/// A blocking reader over the request body that fails (and sets `exceeded`)
/// once more than `limit` bytes arrive.
fn limited_reader(body: Body, limit: u64, exceeded: Arc<AtomicBool>) -> impl std::io::Read + Send {
    let mut seen = 0u64;
    let stream = body.into_data_stream().map(move |chunk| {
        let chunk = chunk.map_err(std::io::Error::other)?;
        seen += chunk.len() as u64;
        if seen > limit {
            exceeded.store(true, Ordering::Relaxed);
            return Err(std::io::Error::other("request body too large"));
        }
        Ok(chunk)
    });
    SyncIoBridge::new(StreamReader::new(stream))
}
