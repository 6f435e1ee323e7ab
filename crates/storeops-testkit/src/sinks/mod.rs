//! Loopback servers that record what the actions under test send: an
//! HTTPS sink behind a throwaway CA, and an SMTP sink speaking plain,
//! STARTTLS or implicit TLS.

pub mod https;
pub mod smtp;
