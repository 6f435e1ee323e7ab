//! storeops application services: import pipeline, demo orchestration, readiness runner, configuration.
