//! The smallest storeops skill, kept as the template for real ones: the
//! pure core ([`greet`]) knows nothing of I/O; [`actions`] declares the
//! skill's settings as data and registers its one action, `example.greet`,
//! which runs the core on the CPU pool. The binary lists [`actions::SKILL`]
//! in its skills table; nothing else changes for a new skill.

pub mod actions;

/// The greeting for `name`: `"<salutation>, <name>."`, or with `!` and in
/// capitals when `shout`. Blank names greet "stranger".
pub fn greet(salutation: &str, name: &str, shout: bool) -> String {
    let name = match name.trim() {
        "" => "stranger",
        n => n,
    };
    if shout {
        format!("{salutation}, {name}!").to_uppercase()
    } else {
        format!("{salutation}, {name}.")
    }
}

#[cfg(test)]
mod tests {
    use super::greet;

    #[test]
    fn greets_by_name_and_shouts_on_request() {
        assert_eq!(greet("Hello", " Ada ", false), "Hello, Ada.");
        assert_eq!(greet("Hej", "Ada", true), "HEJ, ADA!");
        assert_eq!(greet("Hello", "  ", false), "Hello, stranger.");
    }
}
