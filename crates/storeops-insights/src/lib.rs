//! storeops data-readiness audit: pure checks, scores and workflow verdicts over facts read from the store.
