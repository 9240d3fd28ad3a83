//! Merges of index segments: tantivy's log merge policy, held back while the indexer merges every segment into one.
//!
//! tantivy starts a merge it is asked for even when some of its segments are already being rewritten by a merge its
//! policy chose; whichever of the two ends second is thrown away ("couldn't find segment in SegmentManager"), after
//! all its work. The indexer's merge of every segment is therefore started only once none of the policy's merges is
//! running, and the policy starts none until it ends.
use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};

/// Shared by the indexer and the merge policy it gives its writer.
#[derive(Debug, Clone, Default)]
pub struct MergeGate(Arc<Mutex<GateState>>);

/// How long a merge of every segment waits for the policy's merges. One that failed without ending (an I/O error)
/// leaves its segments marked until tantivy offers them again, at the next commit (`tandem reindex` commits while it
/// waits; the service commits when changes come): past this, they are not waited for. The longest merges measured
/// (every segment at 1M profiles) took 25 to 90 s.
const MAX_WAIT: Duration = Duration::from_secs(600);

#[derive(Debug, Default)]
struct GateState {
    /// Since when a merge of every segment waits or runs: meanwhile the policy proposes nothing.
    held: Option<Instant>,
    /// A merge of every segment runs (`started`, not yet `release`d): another must wait for it.
    running: bool,
    /// Segments the policy handed to merges and has not been offered since (tantivy offers only segments that no
    /// merge is rewriting).
    merging: HashSet<SegmentId>,
}

impl MergeGate {
    fn state(&self) -> MutexGuard<'_, GateState> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The policy the writer merges with.
    pub fn policy(&self) -> Box<dyn MergePolicy> {
        Box::new(GatedPolicy { inner: LogMergePolicy::default(), gate: self.clone() })
    }

    /// Holds the policy back, then answers whether the merge of `segments` (the index's committed segments, with no
    /// uncommitted ones besides) may start: none of them is in one of the policy's merges.
    pub fn hold(&self, segments: &[SegmentId]) -> bool {
        let mut state = self.state();
        let since = *state.held.get_or_insert_with(Instant::now);
        if state.running {
            return false;
        }
        // A merge that ended took its segments out of the index.
        state.merging.retain(|id| segments.contains(id));
        if !state.merging.is_empty() && since.elapsed() > MAX_WAIT {
            tracing::warn!(segments = state.merging.len(), "index segments still marked as merging; merging anyway");
            state.merging.clear();
        }
        state.merging.is_empty()
    }

    /// Forgets the segments that ended merges took out of the index, `segments` listing those it holds (called at
    /// each commit: with merges of every segment turned off, nothing else would, and the record would grow with every
    /// merge). The list is read under the gate's lock, so that a merge the policy starts meanwhile is not forgotten.
    pub fn forget_merged(&self, segments: impl FnOnce() -> tantivy::Result<Vec<SegmentId>>) -> tantivy::Result<()> {
        let mut state = self.state();
        if !state.merging.is_empty() {
            let segments = segments()?;
            state.merging.retain(|id| segments.contains(id));
        }
        Ok(())
    }

    /// How many segments are marked as being merged by the policy.
    #[cfg(test)]
    pub(crate) fn marked(&self) -> usize {
        self.state().merging.len()
    }

    /// Records that the merge of every segment `hold` allowed has started.
    pub fn started(&self) {
        self.state().running = true;
    }

    /// The merge of every segment that `started` ended: the policy merges again, and so may another.
    pub fn release(&self) {
        let mut state = self.state();
        state.held = None;
        state.running = false;
    }

    /// A merge of every segment that `hold` kept waiting will not start after all (one segment left, an error): the
    /// policy merges again, unless a merge of every segment runs.
    pub fn cancel(&self) {
        let mut state = self.state();
        if !state.running {
            state.held = None;
        }
    }
}

#[derive(Debug)]
struct GatedPolicy {
    inner: LogMergePolicy,
    gate: MergeGate,
}

impl MergePolicy for GatedPolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let mut state = self.gate.state();
        for segment in segments {
            state.merging.remove(&segment.id());
        }
        if state.held.is_some() {
            return Vec::new();
        }
        let candidates = self.inner.compute_merge_candidates(segments);
        for candidate in &candidates {
            state.merging.extend(candidate.0.iter().copied());
        }
        candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(count: usize) -> Vec<SegmentMeta> {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        (0..count).map(|_| index.new_segment_meta(SegmentId::generate_random(), 1_000)).collect()
    }

    fn ids(metas: &[SegmentMeta]) -> Vec<SegmentId> {
        metas.iter().map(SegmentMeta::id).collect()
    }

    #[test]
    fn a_whole_merge_waits_for_the_policys_merges_and_holds_new_ones_back() {
        let gate = MergeGate::default();
        let policy = gate.policy();
        let eight = segments(8);
        // Eight segments of one size: tantivy's log policy merges them.
        let candidates = policy.compute_merge_candidates(&eight);
        assert_eq!(candidates.len(), 1);
        assert_eq!(candidates[0].0.len(), 8);
        // A ninth segment is committed while they merge: the whole merge must wait.
        let ninth = segments(1);
        let mut committed = ids(&eight);
        committed.extend(ids(&ninth));
        assert!(!gate.hold(&committed));
        // Held: a commit offers the ninth (the eight are being merged), and the policy proposes nothing.
        assert!(policy.compute_merge_candidates(&ninth).is_empty());
        assert!(!gate.hold(&committed));
        // The merge ended: the eight are gone, replaced by one segment.
        let merged = segments(1);
        let after = [ninth.clone(), merged].concat();
        assert!(policy.compute_merge_candidates(&after).is_empty());
        assert!(gate.hold(&ids(&after)));
        // Started, it holds a second one back until it ends, even when a waiting one gives up.
        gate.started();
        assert!(!gate.hold(&ids(&after)));
        gate.cancel();
        assert!(!gate.hold(&ids(&after)));
        assert!(policy.compute_merge_candidates(&segments(8)).is_empty());
        // Released, the policy merges again.
        gate.release();
        assert_eq!(policy.compute_merge_candidates(&segments(8)).len(), 1);
    }

    #[test]
    fn segments_merged_away_are_forgotten_at_commit() {
        let gate = MergeGate::default();
        let policy = gate.policy();
        for _ in 0..3 {
            let eight = segments(8);
            assert_eq!(policy.compute_merge_candidates(&eight).len(), 1);
            // A commit while they merge keeps them marked: they are still in the index.
            gate.forget_merged(|| Ok(ids(&eight))).expect("listed");
            assert_eq!(gate.marked(), 8);
            // The merge ended: only the merged segment is left, and offered.
            let merged = segments(1);
            assert!(policy.compute_merge_candidates(&merged).is_empty());
            gate.forget_merged(|| Ok(ids(&merged))).expect("listed");
            assert_eq!(gate.marked(), 0, "segments merged away still marked");
        }
        // Nothing marked: the index's segments are not even listed.
        gate.forget_merged(|| panic!("listed for nothing")).expect("nothing to forget");
    }

    #[test]
    fn segments_offered_again_are_no_longer_merging() {
        // A merge the policy proposed that tantivy could not start leaves its segments in the index, offered again.
        let gate = MergeGate::default();
        let policy = gate.policy();
        let eight = segments(8);
        assert_eq!(policy.compute_merge_candidates(&eight).len(), 1);
        assert!(!gate.hold(&ids(&eight)));
        assert!(policy.compute_merge_candidates(&eight).is_empty());
        assert!(gate.hold(&ids(&eight)));
    }
}
