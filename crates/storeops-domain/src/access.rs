//! Roles of people and API tokens, and what each may do.
//!
//! Roles are ordered by power: a `viewer` reads, a `reviewer` also decides
//! approvals and review items, an `operator` also changes data and runs
//! things, an `admin` also manages users, tokens and settings. A route
//! declares the least role it needs; [`Role::allows`] is the only check.

use crate::label_enum;

label_enum! {
    /// A role, least powerful last.
    pub enum Role {
        /// Everything, including users, tokens and settings.
        Admin => "admin",
        /// Imports, workflow control, data changes.
        Operator => "operator",
        /// Approvals and review-queue decisions.
        Reviewer => "reviewer",
        /// Read-only.
        Viewer => "viewer",
    }
}

impl Role {
    /// Power rank: higher may do more.
    fn rank(self) -> u8 {
        match self {
            Role::Admin => 3,
            Role::Operator => 2,
            Role::Reviewer => 1,
            Role::Viewer => 0,
        }
    }

    /// Whether this role may do what `required` may do.
    pub fn allows(self, required: Role) -> bool {
        self.rank() >= required.rank()
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Admin.allows(Role::Viewer));
        assert!(Role::Admin.allows(Role::Admin));
        assert!(Role::Operator.allows(Role::Reviewer));
        assert!(!Role::Operator.allows(Role::Admin));
        assert!(!Role::Reviewer.allows(Role::Operator));
        assert!(Role::Reviewer.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Reviewer));
        assert_eq!(Role::parse("Admin"), Ok(Role::Admin));
        assert!(Role::parse("root").is_err());
    }
}
