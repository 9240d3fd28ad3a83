//! The double-opt-in introduction: its states, the events they raise and the rules of each transition.
//!
//! ```text
//! proposed ──accept (one side)──▶ proposed (accepted_by grows) ──accept (other side)──▶ connected
//!     │──decline──▶ declined     │──withdraw──▶ withdrawn     │──(expire_after passes)──▶ expired
//! ```
use serde::Deserialize;

use crate::store::{IntroductionAction, IntroductionRecord};

/// What notifications, e-mails and webhooks report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Proposed,
    Accepted,
    Connected,
    Declined,
    Withdrawn,
    Reminder,
    Expired,
}

impl Event {
    pub const ALL: [Event; 7] = [
        Event::Proposed,
        Event::Accepted,
        Event::Connected,
        Event::Declined,
        Event::Withdrawn,
        Event::Reminder,
        Event::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Proposed => "introduction.proposed",
            Event::Accepted => "introduction.accepted",
            Event::Connected => "introduction.connected",
            Event::Declined => "introduction.declined",
            Event::Withdrawn => "introduction.withdrawn",
            Event::Reminder => "introduction.reminder",
            Event::Expired => "introduction.expired",
        }
    }

    pub fn parse(value: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == value)
    }
}

/// Why a side declined; the category is shown to the other side, a free text never is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    NotRelevant,
    NoCapacity,
    AlreadyPartnered,
    Other,
}

impl DeclineReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DeclineReason::NotRelevant => "not_relevant",
            DeclineReason::NoCapacity => "no_capacity",
            DeclineReason::AlreadyPartnered => "already_partnered",
            DeclineReason::Other => "other",
        }
    }
}

pub const STATES: [&str; 5] = ["proposed", "connected", "declined", "withdrawn", "expired"];

/// The outcome of an action on an open introduction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub state: &'static str,
    pub accepted_by: Vec<String>,
    pub events: Vec<Event>,
    /// The history entries it adds.
    pub history: Vec<&'static str>,
}

/// Applies an action, or says (for a 409) why it cannot apply now.
pub fn next_state(record: &IntroductionRecord, action: &IntroductionAction) -> Result<Transition, String> {
    if record.state != "proposed" {
        return Err(format!("the introduction is `{}`: only a proposed introduction can change", record.state));
    }
    let mut accepted_by = record.accepted_by.0.clone();
    let unchanged = |events: Vec<Event>, history: Vec<&'static str>, accepted_by: Vec<String>| Transition {
        state: "proposed",
        accepted_by,
        events,
        history,
    };
    Ok(match action {
        IntroductionAction::Accept { organisation } => {
            if accepted_by.contains(organisation) {
                return Err("this side has already accepted".to_owned());
            }
            accepted_by.push(organisation.clone());
            if record.awaited().iter().all(|side| accepted_by.contains(side)) {
                Transition {
                    state: "connected",
                    accepted_by,
                    events: vec![Event::Accepted, Event::Connected],
                    history: vec!["accepted", "connected"],
                }
            } else {
                unchanged(vec![Event::Accepted], vec!["accepted"], accepted_by)
            }
        }
        IntroductionAction::Decline { organisation, .. } => {
            if accepted_by.contains(organisation) {
                return Err("this side has already accepted; the proposer can withdraw the introduction".to_owned());
            }
            Transition { state: "declined", accepted_by, events: vec![Event::Declined], history: vec!["declined"] }
        }
        IntroductionAction::Withdraw => {
            Transition { state: "withdrawn", accepted_by, events: vec![Event::Withdrawn], history: vec!["withdrawn"] }
        }
        IntroductionAction::Remind => {
            if record.reminded {
                return Err("a reminder was already sent".to_owned());
            }
            unchanged(vec![Event::Reminder], vec!["reminded"], accepted_by)
        }
        IntroductionAction::Expire => {
            Transition { state: "expired", accepted_by, events: vec![Event::Expired], history: vec!["expired"] }
        }
    })
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use sqlx::types::Json;

    use super::*;

    fn record(accepted: &[&str], state: &str) -> IntroductionRecord {
        IntroductionRecord {
            id: "i".into(),
            call_key: String::new(),
            from_org: "a".into(),
            to_org: "b".into(),
            proposed_by: "acc".into(),
            by_broker: accepted.is_empty(),
            state: state.into(),
            accepted_by: Json(accepted.iter().map(|s| s.to_string()).collect()),
            message: String::new(),
            decline_reason: None,
            decline_text: None,
            declined_by: None,
            expires_at_ms: 0,
            remind_at_ms: 0,
            reminded: false,
            answered_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn accept(org: &str) -> IntroductionAction {
        IntroductionAction::Accept { organisation: org.into() }
    }

    #[test]
    fn both_sides_must_accept() {
        let t = next_state(&record(&["a"], "proposed"), &accept("b")).unwrap();
        assert_eq!(t.state, "connected");
        assert_eq!(t.events, vec![Event::Accepted, Event::Connected]);

        let t = next_state(&record(&[], "proposed"), &accept("a")).unwrap();
        assert_eq!((t.state, t.accepted_by), ("proposed", vec!["a".to_owned()]));
        assert!(next_state(&record(&["a"], "proposed"), &accept("a")).is_err());
    }

    #[test]
    fn closed_introductions_do_not_move() {
        for state in ["connected", "declined", "withdrawn", "expired"] {
            assert!(next_state(&record(&["a"], state), &IntroductionAction::Withdraw).is_err());
            assert!(next_state(&record(&["a"], state), &IntroductionAction::Expire).is_err());
        }
    }
}
