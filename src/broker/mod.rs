//! Broker tools over a whole call: the candidate graph of its participants (scored by the matching module, only
//! eligible and never-declined pairs), the best set of pairings over it, and the brokerage-day schedule.
pub mod pairing;
pub mod schedule;

use std::collections::HashSet;

use crate::config::MatchingSettings;
use crate::domain::call::{CallBody, Candidate, pair_possible};
use crate::domain::organisation::Kind;
use crate::domain::taxonomy::Lang;
use crate::matching::score::Scored;
use crate::search::document::Bundle;
use crate::search::indexer::load_bundles;
use crate::search::{Generation, SearchError};
use crate::store::Store;

/// How many candidate end users each offering organisation is scored against (the ones sharing the most weighted
/// concepts with it). 15 keeps a 2,000 × 2,000 call within two seconds; `benches/broker.rs` measures it.
pub const CANDIDATES_PER_ORGANISATION: usize = 15;

/// A scored pair of the graph: `left` indexes the offering side, `right` the end users.
pub struct Edge {
    pub left: usize,
    pub right: usize,
    pub scored: Scored,
    pub eligible: bool,
    pub declined: bool,
}

/// A call's participants split into the offering side and the end users, with the scored candidate pairs.
pub struct CallGraph {
    pub left: Vec<Bundle>,
    pub right: Vec<Bundle>,
    pub edges: Vec<Edge>,
}

impl CallGraph {
    /// Loads the call's published participants and scores the candidate pairs, marking those the call's rules or
    /// a decline rule out.
    pub async fn build(
        store: &Store,
        generation: std::sync::Arc<Generation>,
        settings: &MatchingSettings,
        call_id: &str,
        call: &CallBody,
        lang: Lang,
    ) -> Result<CallGraph, SearchError> {
        let started = std::time::Instant::now();
        let ids = store.participant_ids(call_id).await?;
        let bundles = load_bundles(store, &ids).await?;
        let loaded = started.elapsed();
        let (right, left): (Vec<Bundle>, Vec<Bundle>) = bundles
            .into_iter()
            .filter(|b| b.organisation.profile.0.published)
            .partition(|b| b.organisation.profile.0.kind == Kind::EndUser);
        let declined: HashSet<(String, String)> = store.declined_pairs_for(call_id).await?.into_iter().collect();
        let (settings, call) = (settings.clone(), call.clone());
        tokio::task::spawn_blocking(move || {
            let scoring = std::time::Instant::now();
            let scored = crate::matching::score_call_graph(
                &generation,
                &settings,
                &left,
                &right,
                CANDIDATES_PER_ORGANISATION,
                lang,
            );
            let scored_in = scoring.elapsed();
            // The rules, on every core: each edge is checked on its own.
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
            let chunk = scored.len().div_ceil(threads).max(1);
            let (left_ref, right_ref, call_ref, declined_ref) = (&left, &right, &call, &declined);
            let mut parts: Vec<Vec<(usize, usize, Scored)>> = Vec::new();
            let mut rest = scored.into_iter();
            loop {
                let part: Vec<_> = rest.by_ref().take(chunk).collect();
                if part.is_empty() {
                    break;
                }
                parts.push(part);
            }
            let edges: Vec<Edge> = std::thread::scope(|scope| {
                let handles: Vec<_> = parts
                    .into_iter()
                    .map(|part| {
                        scope.spawn(move || {
                            part.into_iter()
                                .map(|(l, r, scored)| {
                                    let (a, b) = (&left_ref[l].organisation, &right_ref[r].organisation);
                                    let eligible = pair_possible(
                                        call_ref,
                                        &Candidate { id: &a.id, profile: &a.profile.0 },
                                        &Candidate { id: &b.id, profile: &b.profile.0 },
                                        lang,
                                    )
                                    .eligible;
                                    let key = if a.id < b.id {
                                        (a.id.clone(), b.id.clone())
                                    } else {
                                        (b.id.clone(), a.id.clone())
                                    };
                                    Edge { left: l, right: r, scored, eligible, declined: declined_ref.contains(&key) }
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
            });
            tracing::info!(
                participants = left.len() + right.len(),
                load_ms = loaded.as_millis() as u64,
                score_ms = scored_in.as_millis() as u64,
                rules_ms = (scoring.elapsed() - scored_in).as_millis() as u64,
                "call graph built"
            );
            CallGraph { left, right, edges }
        })
        .await
        .map_err(|e| SearchError::Io(std::io::Error::other(e)))
    }
}
