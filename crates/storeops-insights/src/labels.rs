//! The closed label sets of a report: areas, severities, workflows, verdicts.

use serde::{Deserialize, Serialize};

/// Implements `as_str`, `ALL` and `Display` for a fieldless enum.
macro_rules! labels {
    ($name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in report order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case label (as serialised).
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// The part of the store's data a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Products and variants.
    Catalog,
    /// Inventory levels, the adjustment ledger and returns going back to stock.
    Inventory,
    /// Customers, orders and support tickets.
    Customers,
    /// Knowledge documents (policies, FAQs, guides).
    Knowledge,
}

labels!(Area {
    Catalog => "catalog",
    Inventory => "inventory",
    Customers => "customers",
    Knowledge => "knowledge",
});

/// How much a finding matters; ordered `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Cosmetic or nice to have.
    Low,
    /// Degrades automation.
    Medium,
    /// Makes automation wrong for the affected records.
    High,
    /// Makes automation unsafe.
    Critical,
}

labels!(Severity {
    Low => "low",
    Medium => "medium",
    High => "high",
    Critical => "critical",
});

impl Severity {
    /// Score penalty weight: critical 30, high 20, medium 10, low 5.
    pub fn weight(&self) -> u64 {
        match self {
            Severity::Low => 5,
            Severity::Medium => 10,
            Severity::High => 20,
            Severity::Critical => 30,
        }
    }
}

/// An automation the audit judges the data for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workflow {
    /// Answering customer questions.
    Support,
    /// Handling return requests.
    Returns,
    /// Stock tracking and replenishment.
    Inventory,
    /// Product recommendations.
    Recommendations,
    /// Price and margin decisions.
    Pricing,
}

labels!(Workflow {
    Support => "support",
    Returns => "returns",
    Inventory => "inventory",
    Recommendations => "recommendations",
    Pricing => "pricing",
});

/// Whether a workflow can be automated on the current data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No check it depends on has a finding.
    Ready,
    /// A check that degrades it has a finding.
    NeedsWork,
    /// A check it depends on has a finding.
    Blocked,
}

labels!(Verdict {
    Ready => "ready",
    NeedsWork => "needs_work",
    Blocked => "blocked",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_serde() {
        for area in Area::ALL {
            let json = serde_json::to_string(area).unwrap();
            assert_eq!(json, format!("\"{}\"", area.as_str()));
        }
        assert_eq!(
            serde_json::to_string(&Verdict::NeedsWork).unwrap(),
            "\"needs_work\""
        );
        assert_eq!(Verdict::NeedsWork.to_string(), "needs_work");
        let back: Severity = serde_json::from_str("\"critical\"").unwrap();
        assert_eq!(back, Severity::Critical);
        assert_eq!(Workflow::Recommendations.as_str(), "recommendations");
    }

    #[test]
    fn severities_order_low_to_critical() {
        assert!(Severity::Low < Severity::Medium);
        assert!(Severity::Medium < Severity::High);
        assert!(Severity::High < Severity::Critical);
        let weights: Vec<u64> = Severity::ALL.iter().map(Severity::weight).collect();
        assert_eq!(weights, vec![5, 10, 20, 30]);
    }
}
