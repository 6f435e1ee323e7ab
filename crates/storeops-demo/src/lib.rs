//! storeops demo store generator: a deterministic synthetic store with planted data problems. Pure.
