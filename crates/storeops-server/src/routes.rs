//! The route table: every route is registered here with the access it needs,
//! so the router, the OpenAPI document and the auth tests all come from one
//! list and a new route cannot skip its access check.
//!
//! API routes come from `#[utoipa::path]` handlers (`utoipa_axum::routes!`):
//! their method and path are read from the same annotation that documents
//! them. Dashboard pages and forms are registered with [`Routes::page`].

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use axum::routing::MethodRouter;
use axum::Router;
use serde_json::json;
use storeops_domain::Role;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::OpenApi;
use utoipa_axum::router::UtoipaMethodRouter;

use crate::auth::require;
use crate::state::AppState;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (health probes, the login page, static assets).
    Public,
    /// Anyone whose request carries a valid webhook signature (checked by the handler).
    Signed,
    /// Public or viewer, as `server.metrics_public` says.
    Metrics,
    /// A token or session whose role allows this one.
    Role(Role),
}

impl Access {
    /// The least role needed, if any.
    pub fn role(self) -> Option<Role> {
        match self {
            Access::Role(role) => Some(role),
            _ => None,
        }
    }
}

/// One registered method + path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Path template in axum syntax (`/api/v1/orders/{name}`).
    pub path: String,
    /// Who may call it.
    pub access: Access,
    /// Whether it is part of the JSON API (and so of the OpenAPI document).
    pub api: bool,
}

/// Builder of the router, the OpenAPI document and the endpoint list.
pub struct Routes {
    state: AppState,
    router: Router<AppState>,
    openapi: OpenApi,
    endpoints: Vec<Endpoint>,
}

impl Routes {
    /// An empty table.
    pub fn new(state: AppState) -> Routes {
        Routes {
            state,
            router: Router::new(),
            openapi: crate::openapi::base(),
            endpoints: Vec::new(),
        }
    }

    /// Registers documented API handlers (from `utoipa_axum::routes!`).
    pub fn api(mut self, access: Access, route: UtoipaMethodRouter<AppState>) -> Routes {
        let (schemas, mut paths, method_router) = route;
        let mut registered = None;
        for (path, item) in paths.paths.iter_mut() {
            for (method, operation) in operations(item) {
                annotate(operation, access);
                self.endpoints.push(Endpoint {
                    method,
                    path: path.clone(),
                    access,
                    api: true,
                });
            }
            registered = Some(path.clone());
        }
        let Some(path) = registered else {
            return self;
        };
        let components = self.openapi.components.get_or_insert_with(Default::default);
        components.schemas.extend(schemas);
        self.openapi.paths.merge(paths);
        let guarded = self.guard(access, method_router);
        self.router = self.router.route(&path, guarded);
        self
    }

    /// Registers an undocumented route (dashboard page, form, asset).
    pub fn page(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Routes {
        self.endpoints.push(Endpoint {
            method,
            path: path.to_string(),
            access,
            api: false,
        });
        let guarded = self.guard(access, handler);
        self.router = self.router.route(path, guarded);
        self
    }

    /// Wraps a route in the access check it needs.
    fn guard(&self, access: Access, handler: MethodRouter<AppState>) -> MethodRouter<AppState> {
        match access {
            Access::Public | Access::Signed => handler,
            Access::Metrics if self.state.server.metrics_public => handler,
            Access::Metrics => handler.route_layer(from_fn_with_state(
                (self.state.clone(), Role::Viewer),
                require,
            )),
            Access::Role(role) => {
                handler.route_layer(from_fn_with_state((self.state.clone(), role), require))
            }
        }
    }

    /// The finished parts.
    pub fn into_parts(self) -> (Router<AppState>, OpenApi, Vec<Endpoint>) {
        (self.router, self.openapi, self.endpoints)
    }
}

/// The operations of a path item with their methods.
fn operations(item: &mut PathItem) -> Vec<(Method, &mut Operation)> {
    [
        (Method::GET, item.get.as_mut()),
        (Method::POST, item.post.as_mut()),
        (Method::PUT, item.put.as_mut()),
        (Method::PATCH, item.patch.as_mut()),
        (Method::DELETE, item.delete.as_mut()),
        (Method::HEAD, item.head.as_mut()),
        (Method::OPTIONS, item.options.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|op| (m, op)))
    .collect()
}

/// Records the access rule in the document (`x-storeops-access`) and the
/// security requirement of role-protected operations.
fn annotate(operation: &mut Operation, access: Access) {
    let label = match access {
        Access::Public => "public".to_string(),
        Access::Signed => "signed webhook".to_string(),
        Access::Metrics => "public unless server.metrics_public = false".to_string(),
        Access::Role(role) => format!("role {role} or higher"),
    };
    let extensions: Extensions = [("x-storeops-access".to_string(), json!(label))]
        .into_iter()
        .collect();
    operation
        .extensions
        .get_or_insert_with(Default::default)
        .merge(extensions);
    if access.role().is_some() {
        operation.security = Some(crate::openapi::security());
    }
}

/// The whole application: every route, the middleware stack and the state.
pub fn app(state: AppState) -> Router {
    let (router, openapi, _) = table(state.clone()).into_parts();
    crate::openapi::publish(&state, openapi);
    // Bodies read whole (webhooks, forms, JSON) stop at this size; imports
    // stream and enforce `server.max_import_bytes` themselves.
    let router = router.layer(DefaultBodyLimit::max(state.server.max_body_bytes));
    crate::metrics::layer(router).with_state(state)
}

/// Every registered endpoint (for tests and docs).
pub fn endpoints(state: AppState) -> Vec<Endpoint> {
    table(state).into_parts().2
}

/// The route table.
fn table(state: AppState) -> Routes {
    let routes = Routes::new(state);
    let routes = crate::health::routes(routes);
    let routes = crate::api::routes(routes);
    let routes = crate::webhooks::routes(routes);
    crate::dashboard::routes(routes)
}
