//! The two database backends. Each is a small module with its connection
//! setup and constants (`Db`, bind limit, how write transactions begin, the
//! embedded migrations); the queries themselves live once in `shared/` and
//! are compiled into both modules with `#[path]`, so every query is written
//! once and type-checked against each driver.

// Compiling `shared/` into both backends is the point of this layout.
#[allow(clippy::duplicate_mod)]
pub(crate) mod postgres;
#[allow(clippy::duplicate_mod)]
pub(crate) mod sqlite;
