//! The search index: derived data, rebuilt from the database at will.
//!
//! The index folder holds generations (`<dir>/<generation>/`, each a tantivy index) and a `CURRENT` file naming the
//! one in use. A single indexer task applies the change log to the current generation in sequence order and stores
//! the last applied sequence number in each commit's payload, so that after a crash it catches up from there.
//! `tandem reindex` builds a new generation from the tables and switches `CURRENT` to it; the running service
//! notices, catches the new generation up, and swaps it in while it keeps answering.
mod directory;
pub mod document;
pub(crate) mod evaluate;
pub(crate) mod facets;
mod fuzzy;
mod highlight;
pub mod indexer;
mod merging;
pub mod query;
pub mod schema;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy};
use tokio::sync::watch;

pub use evaluate::{CacheBudget, CacheStats};
pub use schema::Fields;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("the index folder {0} cannot be opened: {1}")]
    Directory(PathBuf, String),
}

/// Decompressed blocks of the document store kept per segment.
const DOC_STORE_CACHE_BLOCKS: usize = 8;
/// Bytes of documents compressed together in the document store (tantivy's default is 16 KiB). A hit decompresses
/// its document's whole block: smaller blocks cost less per hit and compress less well, which costs disk, not the
/// process's memory (the stores are read with `pread`, `directory.rs`). An index keeps the size it was created with.
const DOC_STORE_BLOCK_BYTES: usize = 4096;

/// One tantivy index of the index folder, with its reader.
pub struct Generation {
    pub name: String,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// Inverse document frequencies already looked up (matching): they drift little as documents come and go.
    pub idf_cache: std::sync::Mutex<std::collections::HashMap<String, f32>>,
    /// One-typo expansions of query words, per segment.
    pub(crate) fuzzy: fuzzy::FuzzyCache,
    /// What searches keep from one another.
    pub(crate) caches: evaluate::Caches,
}

impl Generation {
    /// Opens (or creates) a generation, registers the analyzers and reads the sequence number it has applied; its
    /// searches keep bitsets within `cache`.
    pub fn open(dir: &Path, name: &str, cache: CacheBudget) -> Result<(Self, i64), SearchError> {
        let path = dir.join(name);
        std::fs::create_dir_all(&path)?;
        let directory =
            directory::IndexDirectory::open(&path).map_err(|e| SearchError::Directory(path.clone(), e.to_string()))?;
        let (schema, _) = schema::build();
        let settings = IndexSettings { docstore_blocksize: DOC_STORE_BLOCK_BYTES, ..IndexSettings::default() };
        let index = Index::builder().schema(schema).settings(settings).open_or_create(directory)?;
        schema::register(&index);
        let fields = schema::fields_of(&index.schema())?;
        // Hits seldom share a block of the document store: a few decompressed blocks per segment are kept, not
        // tantivy's 100 (`DOC_STORE_BLOCK_BYTES` each, 16 KiB in an index written before, per segment).
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?;
        let applied = index.load_metas()?.payload.and_then(|p| p.parse::<i64>().ok()).unwrap_or(0);
        let (idf_cache, fuzzy, caches) = (Default::default(), Default::default(), evaluate::Caches::new(cache));
        Ok((Self { name: name.to_owned(), index, reader, fields, idf_cache, fuzzy, caches }, applied))
    }
}

pub fn current_file(dir: &Path) -> PathBuf {
    dir.join("CURRENT")
}

/// The generation named by `CURRENT`, if any.
pub fn current_name(dir: &Path) -> Option<String> {
    let name = std::fs::read_to_string(current_file(dir)).ok()?.trim().to_owned();
    (!name.is_empty() && dir.join(&name).is_dir()).then_some(name)
}

/// Points `CURRENT` at a generation, atomically (write a temporary file, then rename it).
pub fn set_current(dir: &Path, name: &str) -> std::io::Result<()> {
    let temporary = dir.join(format!("CURRENT.{}", uuid::Uuid::now_v7().simple()));
    std::fs::write(&temporary, format!("{name}\n"))?;
    std::fs::rename(&temporary, current_file(dir))
}

pub fn new_generation_name() -> String {
    format!("g{}", uuid::Uuid::now_v7().simple())
}

/// What the API reads: the generation in use, and how far the indexer has got.
pub struct SearchIndex {
    dir: PathBuf,
    cache: CacheBudget,
    current: RwLock<Arc<Generation>>,
    applied: watch::Sender<i64>,
}

impl SearchIndex {
    /// Opens the generation named by `CURRENT`, creating a first one if there is none; each generation's searches
    /// keep bitsets within `cache`.
    pub fn open(dir: &Path, cache: CacheBudget) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let name = match current_name(dir) {
            Some(name) => name,
            None => {
                let name = new_generation_name();
                std::fs::create_dir_all(dir.join(&name))?;
                set_current(dir, &name)?;
                name
            }
        };
        let (generation, applied) = match Generation::open(dir, &name, cache) {
            Ok(opened) => opened,
            // An index written by another version of the schema: derived data, so start a new generation, which the
            // indexer fills from the whole change log.
            Err(SearchError::Tantivy(tantivy::TantivyError::SchemaError(message))) => {
                tracing::warn!(generation = name, message, "the index has another schema; rebuilding it");
                let name = new_generation_name();
                let opened = Generation::open(dir, &name, cache)?;
                set_current(dir, &name)?;
                opened
            }
            Err(other) => return Err(other),
        };
        let name = generation.name.clone();
        indexer::remove_generations_before(dir, &name);
        Ok(Self {
            dir: dir.to_owned(),
            cache,
            current: RwLock::new(Arc::new(generation)),
            applied: watch::Sender::new(applied),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn cache_budget(&self) -> CacheBudget {
        self.cache
    }

    pub fn generation(&self) -> Arc<Generation> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn swap(&self, generation: Arc<Generation>) {
        match self.current.write() {
            Ok(mut guard) => *guard = generation,
            Err(poisoned) => *poisoned.into_inner() = generation,
        }
    }

    pub fn applied_seq(&self) -> i64 {
        *self.applied.borrow()
    }

    fn publish(&self, seq: i64) {
        self.applied.send_replace(seq);
    }

    /// Waits until the index has applied `seq` (read-after-write); false if it did not within `timeout`.
    pub async fn wait_for(&self, seq: i64, timeout: Duration) -> bool {
        let mut receiver = self.applied.subscribe();
        tokio::time::timeout(timeout, receiver.wait_for(|applied| *applied >= seq)).await.is_ok_and(|r| r.is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_generation_writes_4_kib_store_blocks_and_an_existing_one_keeps_its_own() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let (fresh, _) = Generation::open(folder.path(), "fresh", CacheBudget::Automatic).expect("a new generation");
        assert_eq!(fresh.index.settings().docstore_blocksize, DOC_STORE_BLOCK_BYTES);
        // An index written before, with tantivy's default blocks, opens as it is.
        let older = folder.path().join("older");
        std::fs::create_dir_all(&older).expect("create");
        let (schema, _) = schema::build();
        Index::create_in_dir(&older, schema).expect("an index with the default settings");
        let (opened, applied) = Generation::open(folder.path(), "older", CacheBudget::Automatic).expect("opened");
        assert_eq!(opened.index.settings().docstore_blocksize, IndexSettings::default().docstore_blocksize);
        assert_ne!(IndexSettings::default().docstore_blocksize, DOC_STORE_BLOCK_BYTES);
        assert_eq!(applied, 0);
    }
}
