//! storeops parsers of outside formats (Shopify CSV exports, JSONL) into domain records, and writers of the same formats. Pure: no I/O beyond the readers and writers it is handed.
