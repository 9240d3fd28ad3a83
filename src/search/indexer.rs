//! The single writer of the index: applies the change log in sequence order, commits with the last applied sequence
//! number as payload, and switches generations when `tandem reindex` has built a new one.
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::{IndexWriter, Term};
use tokio::sync::watch;

use super::document::{Bundle, documents};
use super::merging::MergeGate;
use super::{CacheBudget, Generation, SearchError, SearchIndex, current_name, new_generation_name, set_current};
use crate::store::{ChangeRecord, ItemKind, ItemRecord, Store};

/// How many change-log rows one pass reads.
const CHANGES_PER_PASS: i64 = 5000;
/// How long after a merge of every segment failed it is tried again.
const MERGE_RETRY: Duration = Duration::from_secs(5);
/// How often a merge of every segment that waits for tantivy's own merges to end looks again.
const MERGE_WAIT: Duration = Duration::from_millis(200);
/// How many organisations are loaded from the database at once.
const LOAD_CHUNK: usize = 400;

#[derive(Debug, Clone)]
pub struct IndexerSettings {
    pub poll_interval: Duration,
    pub commit_interval: Duration,
    pub writer_memory_bytes: usize,
    /// Merge every segment into one once this many changes were applied since the last such merge (0: never).
    pub merge_after_changes: i64,
}

struct Writer {
    generation: Arc<Generation>,
    writer: IndexWriter,
    applied: i64,
    committed: i64,
    last_commit: Instant,
    /// The sequence number at the last merge of every segment (or when the writer opened).
    merged_at: i64,
    /// When a merge of every segment that waits or failed is tried again.
    merge_retry: Arc<std::sync::Mutex<Option<Instant>>>,
    /// Holds tantivy's merges back while every segment is merged into one.
    gate: MergeGate,
}

/// Where a merge of every segment stands.
enum WholeMerge {
    /// There is one segment (or none).
    NotNeeded,
    /// Some segments are in merges of tantivy's policy; those merges must end first.
    Waiting,
    /// Started: how many segments, and the merge.
    Started(usize, tantivy::FutureResult<Option<tantivy::SegmentMeta>>),
}

impl Writer {
    fn new(generation: Arc<Generation>, applied: i64, memory: usize) -> Result<Self, SearchError> {
        let writer = generation.index.writer_with_num_threads(1, memory.max(15_000_000))?;
        let gate = MergeGate::default();
        writer.set_merge_policy(gate.policy());
        let (merge_retry, last_commit) = (Arc::default(), Instant::now());
        let merged_at = applied;
        Ok(Self { generation, writer, applied, committed: applied, last_commit, merged_at, merge_retry, gate })
    }

    fn commit(&mut self) -> Result<(), SearchError> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&self.applied.to_string());
        prepared.commit()?;
        let index = &self.generation.index;
        if let Err(error) = self.gate.forget_merged(|| index.searchable_segment_ids()) {
            tracing::warn!(%error, "could not list the index's segments after a commit");
        }
        self.generation.reader.reload()?;
        self.committed = self.applied;
        self.last_commit = Instant::now();
        Ok(())
    }

    /// Starts merging every searchable segment into one, when there are several and none is in one of tantivy's own
    /// merges; until the merge ends (and `gate.release()`), tantivy starts no merge of its own.
    fn merge_all(&mut self) -> tantivy::Result<WholeMerge> {
        let ids = self.generation.index.searchable_segment_ids().inspect_err(|_| self.gate.cancel())?;
        if ids.len() < 2 {
            self.gate.cancel();
            return Ok(WholeMerge::NotNeeded);
        }
        if !self.gate.hold(&ids) {
            return Ok(WholeMerge::Waiting);
        }
        self.gate.started();
        Ok(WholeMerge::Started(ids.len(), self.writer.merge(&ids)))
    }

    /// Once everything applied is committed and `after` changes were applied since the last time, merges every
    /// segment into one in the background (searches go on meanwhile), then lets searches see the merged segment.
    fn merge_if_due(&mut self, after: i64) {
        let retry_at = self.merge_retry.clone();
        let lock = || retry_at.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let retry = lock().is_some_and(|at| at <= Instant::now());
        if after <= 0 || self.applied != self.committed || !retry && self.applied - self.merged_at < after {
            return;
        }
        *lock() = None;
        self.merged_at = self.applied;
        let (segments, merge) = match self.merge_all() {
            Ok(WholeMerge::Started(segments, merge)) => (segments, merge),
            Ok(WholeMerge::NotNeeded) => return,
            Ok(WholeMerge::Waiting) => {
                *lock() = Some(Instant::now() + MERGE_WAIT);
                return;
            }
            Err(error) => {
                tracing::warn!(%error, "the index segments could not be listed for a merge");
                return;
            }
        };
        let (generation, retry, gate) = (self.generation.clone(), self.merge_retry.clone(), self.gate.clone());
        tokio::spawn(async move {
            let started = Instant::now();
            let merged = merge.await;
            gate.release();
            match merged {
                Ok(_) => match generation.reader.reload() {
                    Ok(()) => {
                        let seconds = started.elapsed().as_secs_f64();
                        tracing::info!(segments, seconds, "index segments merged into one");
                    }
                    Err(error) => tracing::warn!(%error, "the merged index could not be reloaded"),
                },
                // The writer is stopping, or the index folder is gone: try again a little later.
                Err(error) => {
                    tracing::debug!(%error, "index segments not merged; trying again in 5 s");
                    let mut at = retry.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    *at = Some(Instant::now() + MERGE_RETRY);
                }
            }
        });
    }

    /// Merges every segment into one and waits for it (tantivy's own merges first end). While it waits it commits
    /// (nothing new) once a second: a commit makes tantivy offer its segments to the policy again, which is how the
    /// gate learns that a merge of the policy failed without ending.
    fn merge_all_now(&mut self) -> Result<(), SearchError> {
        let mut waited = 0u32;
        loop {
            match self.merge_all()? {
                WholeMerge::NotNeeded => return Ok(()),
                WholeMerge::Started(_, merge) => {
                    let merged = merge.wait();
                    self.gate.release();
                    return Ok(merged.map(drop)?);
                }
                WholeMerge::Waiting => {
                    std::thread::sleep(Duration::from_millis(20));
                    waited += 1;
                    if waited.is_multiple_of(50) {
                        self.commit().inspect_err(|_| self.gate.cancel())?;
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Result<(), SearchError> {
        if self.applied != self.committed {
            self.commit()?;
        }
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

/// Loads organisations with their offers and needs; organisations that no longer exist are left out.
pub async fn load_bundles(store: &Store, ids: &[String]) -> Result<Vec<Bundle>, SearchError> {
    let organisations = store.organisations_by_ids(ids).await?;
    let mut offers: HashMap<String, Vec<ItemRecord>> = HashMap::new();
    for item in store.items_of(ItemKind::Offer, ids).await? {
        offers.entry(item.organisation_id.clone()).or_default().push(item);
    }
    let mut needs: HashMap<String, Vec<ItemRecord>> = HashMap::new();
    for item in store.items_of(ItemKind::Need, ids).await? {
        needs.entry(item.organisation_id.clone()).or_default().push(item);
    }
    Ok(organisations
        .into_iter()
        .map(|organisation| Bundle {
            offers: offers.remove(&organisation.id).unwrap_or_default(),
            needs: needs.remove(&organisation.id).unwrap_or_default(),
            organisation,
        })
        .collect())
}

fn add_bundles(writer: &IndexWriter, generation: &Generation, bundles: &[Bundle]) -> Result<(), SearchError> {
    let fields = &generation.fields;
    for bundle in bundles {
        for doc in documents(bundle, fields) {
            writer.add_document(doc)?;
        }
    }
    Ok(())
}

/// Applies one batch of changes: whole organisations are re-indexed from the database's current state, which makes
/// applying a change twice harmless.
async fn apply(store: &Store, writer: &mut Writer, changes: &[ChangeRecord]) -> Result<(), SearchError> {
    let fields = writer.generation.fields;
    let mut reindex = BTreeSet::new();
    let mut deleted_orgs = BTreeSet::new();
    let mut deleted_docs = Vec::new();
    let mut touched: [(ItemKind, Vec<String>); 2] = [(ItemKind::Offer, Vec::new()), (ItemKind::Need, Vec::new())];
    for change in changes {
        match (change.entity.as_str(), change.op.as_str()) {
            ("organisation", "delete") => {
                reindex.remove(&change.entity_id);
                deleted_orgs.insert(change.entity_id.clone());
            }
            ("organisation", _) => {
                deleted_orgs.remove(&change.entity_id);
                reindex.insert(change.entity_id.clone());
            }
            ("offer", "delete") | ("need", "delete") => deleted_docs.push(change.entity_id.clone()),
            ("offer", _) => touched[0].1.push(change.entity_id.clone()),
            ("need", _) => touched[1].1.push(change.entity_id.clone()),
            _ => {}
        }
    }
    for (kind, ids) in &touched {
        for chunk in ids.chunks(LOAD_CHUNK) {
            let owners = store.item_owners(*kind, chunk).await?;
            for id in chunk {
                match owners.iter().find(|(item, _)| item == id) {
                    Some((_, organisation)) => {
                        reindex.insert(organisation.clone());
                    }
                    None => deleted_docs.push(id.clone()),
                }
            }
        }
    }
    for organisation in &deleted_orgs {
        writer.writer.delete_term(Term::from_field_text(fields.organisation_id, organisation));
    }
    for doc in &deleted_docs {
        writer.writer.delete_term(Term::from_field_text(fields.id, doc));
    }
    let ids: Vec<String> = reindex.into_iter().collect();
    for chunk in ids.chunks(LOAD_CHUNK) {
        let bundles = load_bundles(store, chunk).await?;
        for organisation in chunk {
            writer.writer.delete_term(Term::from_field_text(fields.organisation_id, organisation));
        }
        tokio::task::block_in_place(|| add_bundles(&writer.writer, &writer.generation, &bundles))?;
    }
    if let Some(last) = changes.last() {
        writer.applied = last.seq;
    }
    Ok(())
}

/// Applies every change after the writer's sequence number; commits each pass (or every `commit_interval`). With
/// `index`, each commit is published at once, so that readiness and read-after-write follow a long catch-up.
async fn catch_up(
    store: &Store,
    writer: &mut Writer,
    settings: &IndexerSettings,
    index: Option<&SearchIndex>,
) -> Result<bool, SearchError> {
    let mut progressed = false;
    loop {
        let changes = store.changes_after(writer.applied, CHANGES_PER_PASS).await?;
        if changes.is_empty() {
            return Ok(progressed);
        }
        apply(store, writer, &changes).await?;
        progressed = true;
        if writer.last_commit.elapsed() >= settings.commit_interval {
            tokio::task::block_in_place(|| writer.commit())?;
            if let Some(index) = index {
                index.publish(writer.committed);
            }
        }
        if (changes.len() as i64) < CHANGES_PER_PASS {
            return Ok(progressed);
        }
    }
}

/// Runs until `stop` turns true: polls the change log, applies it, and follows `CURRENT` to new generations.
pub async fn run(
    index: Arc<SearchIndex>,
    store: Store,
    settings: IndexerSettings,
    mut stop: watch::Receiver<bool>,
) -> Result<(), SearchError> {
    let memory = settings.writer_memory_bytes;
    let mut writer = Writer::new(index.generation(), index.applied_seq(), memory)?;
    loop {
        if let Some(name) = current_name(index.dir()).filter(|name| *name != writer.generation.name) {
            writer = switch(&index, &store, writer, &name, &settings).await?;
        }
        match catch_up(&store, &mut writer, &settings, Some(&index)).await {
            Ok(_) if writer.committed != index.applied_seq() => index.publish(writer.committed),
            Ok(_) => {}
            Err(error) if *stop.borrow() => {
                // Shutting down: the database or the index folder may already be gone (tests drop theirs at once).
                // Nothing uncommitted is lost: the next start re-reads it from the change log.
                tracing::debug!(%error, "indexer pass failed while stopping");
                return Ok(());
            }
            Err(error) => {
                // Whatever was applied but not committed is dropped: the next pass re-reads it from the change log.
                tracing::warn!(%error, "indexer pass failed; retrying from the last commit");
                let generation = writer.generation.clone();
                let committed = writer.committed;
                drop(writer);
                writer = Writer::new(generation, committed, memory)?;
            }
        }
        if writer.applied != writer.committed && writer.last_commit.elapsed() >= settings.commit_interval {
            tokio::task::block_in_place(|| writer.commit())?;
            index.publish(writer.committed);
        }
        writer.merge_if_due(settings.merge_after_changes);
        tokio::select! {
            _ = tokio::time::sleep(settings.poll_interval) => {}
            _ = stop.changed() => break,
        }
    }
    tokio::task::block_in_place(|| writer.finish())
}

/// Opens the generation `tandem reindex` built, catches it up, then swaps it in for searches.
async fn switch(
    index: &SearchIndex,
    store: &Store,
    old: Writer,
    name: &str,
    settings: &IndexerSettings,
) -> Result<Writer, SearchError> {
    let (generation, applied) = Generation::open(index.dir(), name, index.cache_budget())?;
    let mut writer = Writer::new(Arc::new(generation), applied, settings.writer_memory_bytes)?;
    let immediate = IndexerSettings { commit_interval: Duration::ZERO, ..settings.clone() };
    // Searches read the previous generation until the swap: nothing is published before it.
    catch_up(store, &mut writer, &immediate, None).await?;
    if writer.applied != writer.committed {
        tokio::task::block_in_place(|| writer.commit())?;
    }
    let old_name = old.generation.name.clone();
    tokio::task::block_in_place(|| old.finish())?;
    index.swap(writer.generation.clone());
    index.publish(writer.committed);
    tracing::info!(generation = name, applied = writer.committed, "switched to a rebuilt index");
    // Searches that started before the swap may still read the previous generation: keep it until the next switch.
    remove_generations_before(index.dir(), &old_name);
    Ok(writer)
}

/// Removes generations older than `keep` (names sort by creation time). A generation newer than the current one may
/// be a rebuild in progress, so nothing newer is ever touched.
pub fn remove_generations_before(dir: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('g')
            && name.as_str() < keep
            && entry.path().is_dir()
            && let Err(error) = std::fs::remove_dir_all(entry.path())
        {
            tracing::warn!(%error, generation = name, "could not remove an old index generation");
        }
    }
}

/// Builds a new generation from the tables, then points `CURRENT` at it. Changes made meanwhile are in the change
/// log after the sequence number read first, which the new generation's payload records.
pub async fn rebuild(
    store: &Store,
    dir: &Path,
    memory: usize,
    mut progress: impl FnMut(usize),
) -> Result<String, SearchError> {
    std::fs::create_dir_all(dir)?;
    let seq = store.last_seq().await?;
    let name = new_generation_name();
    // Nothing searches it here.
    let (generation, _) = Generation::open(dir, &name, CacheBudget::default())?;
    let mut writer = Writer::new(Arc::new(generation), seq, memory)?;
    let mut after: Option<String> = None;
    let mut done = 0;
    loop {
        let ids = store.organisation_ids(after.as_deref(), LOAD_CHUNK as i64).await?;
        let Some(last) = ids.last().cloned() else { break };
        let bundles = load_bundles(store, &ids).await?;
        tokio::task::block_in_place(|| add_bundles(&writer.writer, &writer.generation, &bundles))?;
        done += ids.len();
        progress(done);
        after = Some(last);
    }
    tokio::task::block_in_place(|| {
        writer.commit()?;
        // One segment searches faster than the many the writer leaves (the commit payload is kept).
        writer.merge_all_now()?;
        writer.finish()
    })?;
    set_current(dir, &name)?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::TantivyDocument;

    fn add_segment(writer: &mut Writer, commit: usize) {
        let fields = writer.generation.fields;
        for n in 0..4_000 {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.id, format!("d{commit}-{n}"));
            doc.add_text(fields.text_en, format!("drone {n} watches port {commit} for the hospital w{}", n % 97));
            writer.writer.add_document(doc).expect("added");
        }
        writer.applied += 1;
        writer.commit().expect("committed");
    }

    #[test]
    fn commits_forget_the_segments_a_merge_of_the_policy_took_away() {
        // With merges of every segment turned off, the gate's record of the policy's merges must not grow forever.
        let dir = tempfile::tempdir().expect("temporary directory");
        let (generation, _) = Generation::open(dir.path(), "g", CacheBudget::default()).expect("generation");
        let mut writer = Writer::new(Arc::new(generation), 0, 15_000_000).expect("writer");
        for commit in 0..8 {
            add_segment(&mut writer, commit);
        }
        assert_eq!(writer.gate.marked(), 8, "the eighth commit starts a merge of the policy");
        let deadline = Instant::now() + Duration::from_secs(60);
        while writer.gate.marked() > 0 {
            assert!(Instant::now() < deadline, "{} segments still marked", writer.gate.marked());
            std::thread::sleep(Duration::from_millis(50));
            writer.writer.add_document(TantivyDocument::default()).expect("added");
            writer.applied += 1;
            writer.commit().expect("committed");
        }
        writer.finish().expect("finished");
    }

    #[test]
    fn merging_every_segment_waits_for_tantivys_own_merges() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let (generation, _) = Generation::open(dir.path(), "g", CacheBudget::default()).expect("generation");
        let generation = Arc::new(generation);
        let mut writer = Writer::new(generation.clone(), 0, 15_000_000).expect("writer");
        for commit in 0..9 {
            add_segment(&mut writer, commit);
        }
        // The eighth commit started a merge of tantivy's log policy (eight segments of one size). Merging every segment
        // at once would have its result or the policy's thrown away, whichever ended second.
        writer.merge_all_now().expect("every segment merged");
        // A merge of every segment that runs holds a second one back (two would collide the same way).
        writer.writer.add_document(TantivyDocument::default()).expect("added");
        writer.applied += 1;
        writer.commit().expect("committed");
        let WholeMerge::Started(2, first) = writer.merge_all().expect("listed") else { panic!("a merge of two") };
        assert!(matches!(writer.merge_all().expect("listed"), WholeMerge::Waiting));
        first.wait().expect("merged");
        writer.gate.release();
        generation.reader.reload().expect("reloaded");
        let searcher = generation.reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        assert_eq!(searcher.num_docs(), 36_001);
        assert_eq!(generation.index.load_metas().expect("metas").payload.as_deref(), Some("10"));
        writer.finish().expect("finished");
    }
}
