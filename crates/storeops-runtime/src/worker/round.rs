//! What one worker round did, and whether the next one may wait for a
//! wake-up or should gather a little more work first.

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Runs claimed this round.
    pub claimed: usize,
    /// Step attempts executed.
    pub executed: usize,
    /// Runs that finished.
    pub finished: usize,
    /// Events offered to triggers and waits, plus scheduled runs started.
    pub triggered: usize,
    /// Runs still held for another round.
    pub held: usize,
    /// Whether this round found everything that was due: its claim left
    /// room and its commit started or messaged no other run. Such a round
    /// is followed by a wait for a wake-up, not an immediate (empty) claim.
    pub drained: bool,
}

impl Round {
    /// Whether nothing happened.
    pub fn idle(&self) -> bool {
        self.claimed == 0 && self.executed == 0 && self.held == 0 && self.triggered == 0
    }

    /// Whether the next round may as well wait for a wake-up: idle, or
    /// drained with nothing held or triggered.
    pub fn quiet(&self) -> bool {
        self.idle() || (self.drained && self.held == 0 && self.triggered == 0)
    }

    /// Whether this round looks like part of a stream of arrivals: it
    /// claimed several runs. After the wake-up that follows such a round the
    /// worker lingers (`WorkerConfig::linger`) before claiming, so that the
    /// next round's fixed statements are shared by more runs; a lone
    /// arrival is claimed at once.
    pub fn streaming(&self) -> bool {
        self.claimed >= 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_drained_round_with_nothing_left_waits_for_a_wake_up() {
        let drained = Round {
            claimed: 3,
            executed: 9,
            finished: 3,
            drained: true,
            ..Round::default()
        };
        assert!(drained.quiet());
        assert!(Round::default().quiet(), "an idle round waits");
        let full_claim = Round {
            drained: false,
            ..drained
        };
        assert!(!full_claim.quiet(), "a full claim may have left due runs");
        let holding = Round { held: 1, ..drained };
        assert!(!holding.quiet(), "held runs have a next step");
        let triggered = Round {
            triggered: 2,
            ..drained
        };
        assert!(!triggered.quiet(), "triggered events may have started runs");
    }

    #[test]
    fn only_a_round_that_claimed_several_runs_is_streaming() {
        let one = Round {
            claimed: 1,
            ..Round::default()
        };
        assert!(!one.streaming(), "a lone arrival is claimed at once");
        assert!(!Round::default().streaming());
        assert!(Round { claimed: 2, ..one }.streaming());
    }
}
