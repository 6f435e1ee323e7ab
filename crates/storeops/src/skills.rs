//! The skills this binary ships, and the action registry built from the
//! configuration: the built-in actions, then every skill's `register`. A
//! new skill is its crate plus one line in [`SKILLS`]; its settings are then
//! read and checked with the rest (`config check`), its actions validate in
//! workflows, run from `storeops action run` and the API, and are listed in
//! `docs/actions.md`.

use storeops_actions::{Setting, Skill};
use storeops_app::config::Config;
use storeops_app::http_config::http_settings;
use storeops_app::notify_config::{smtp_ca_pem, SmtpTlsMode};
use storeops_runtime::{Registry, SmtpSettings, SmtpTls};

/// Every skill, in registration order.
pub(crate) const SKILLS: &[Skill] = &[storeops_example_skill::actions::SKILL];

/// The skills' settings, read beside storeops' own.
pub(crate) fn settings() -> Vec<&'static Setting> {
    SKILLS.iter().flat_map(|s| s.settings.iter()).collect()
}

/// The built-in actions and the skills' actions, as configured.
pub(crate) fn registry(config: &Config) -> anyhow::Result<Registry> {
    let mut registry = builtin(config)?;
    for skill in SKILLS {
        (skill.register)(&mut registry, &config.skills);
    }
    Ok(registry)
}

/// The built-in actions: `http.request` / `notify.webhook` trusting the CAs
/// of `http.ca_file` besides the Mozilla roots, and `notify.email` sending
/// through the configured SMTP server when `notify.email.host` is set
/// (trusting the CAs of `notify.email.ca_file` besides the Mozilla roots).
fn builtin(config: &Config) -> anyhow::Result<Registry> {
    let http = http_settings(config)?;
    let client = http
        .client()
        .map_err(|e| anyhow::anyhow!("http.ca_file: {e}"))?;
    let email = &config.email;
    let Some(host) = &email.host else {
        return Ok(storeops_runtime::builtin(client, None));
    };
    let ca_pem = smtp_ca_pem(config)?;
    let smtp = SmtpSettings {
        host: host.clone(),
        port: email.port,
        username: email.username.clone(),
        password: email.password.as_ref().map(|p| p.expose().to_string()),
        from: email.from.clone(),
        tls: match email.tls {
            SmtpTlsMode::None => SmtpTls::None,
            SmtpTlsMode::Starttls => SmtpTls::Starttls,
            SmtpTlsMode::Tls => SmtpTls::Tls,
        },
        ca_pem,
        timeout: std::time::Duration::from_secs(email.timeout_seconds),
    };
    Ok(storeops_runtime::builtin(client, Some(smtp)))
}
