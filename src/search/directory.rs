//! The index folder as tantivy reads it: memory-mapped, but for the document stores, which are read with `pread`.
//!
//! A search reads a few stored documents (its page of hits) at random places of the stores, the largest files of the
//! index. Memory-mapped, every page a hit touched stays mapped in the process, with the pages the kernel maps around
//! it (64 KiB a fault): a few thousand searches leave the whole store resident, about half of the process's memory
//! while it serves. Read with `pread`, a block is copied from the page cache into a buffer that is dropped once its
//! documents are read: the kernel keeps the pages cached, the process does not keep them. The postings, terms, field
//! lengths and fast fields, read on every search, stay mapped.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};

/// Reads of at least this many bytes of a store go through the mapping: merging segments copies a store's blocks
/// whole, and a copy of all of them in memory would cost more than the pages mapped meanwhile.
const MAPPED_READ: usize = 1 << 20;

/// An index folder: `MmapDirectory` for everything, but the document stores' reads.
#[derive(Debug, Clone)]
pub struct IndexDirectory {
    root: PathBuf,
    mapped: MmapDirectory,
}

impl IndexDirectory {
    pub fn open(root: &Path) -> Result<Self, OpenDirectoryError> {
        let mapped = MmapDirectory::open(root)?;
        // As `MmapDirectory` resolves its own: both read the same files whatever the working directory becomes.
        let root = root.canonicalize().map_err(|e| OpenDirectoryError::wrap_io_error(e, root.to_owned()))?;
        Ok(Self { root, mapped })
    }
}

/// Whether a file of the index is a segment's document store.
fn is_store(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension == "store")
}

/// A document store, read with `pread` (`read_exact_at`), or through its mapping for large reads.
#[derive(Debug)]
struct StoreFile {
    file: std::fs::File,
    len: usize,
    mapped: Arc<dyn FileHandle>,
}

impl HasLen for StoreFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for StoreFile {
    fn read_bytes(&self, range: std::ops::Range<usize>) -> std::io::Result<OwnedBytes> {
        if range.len() >= MAPPED_READ {
            return self.mapped.read_bytes(range);
        }
        read_at(&self.file, range)
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, range: std::ops::Range<usize>) -> std::io::Result<OwnedBytes> {
    use std::os::unix::fs::FileExt;
    let mut buffer = vec![0; range.len()];
    file.read_exact_at(&mut buffer, range.start as u64)?;
    Ok(OwnedBytes::new(buffer))
}

/// Elsewhere a read at an offset moves a position the file's handles share: stores stay mapped there
/// (`get_file_handle`), and this is never called.
#[cfg(not(unix))]
fn read_at(_: &std::fs::File, _: std::ops::Range<usize>) -> std::io::Result<OwnedBytes> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "positioned reads need a unix system"))
}

impl Directory for IndexDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let mapped = self.mapped.get_file_handle(path)?;
        if !is_store(path) || !cfg!(unix) {
            return Ok(mapped);
        }
        // The file stays open with the handle: its data outlives a deletion of the file, as a mapping's does.
        let full = self.root.join(path);
        let file = std::fs::File::open(&full).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_owned()),
            _ => OpenReadError::wrap_io_error(e, path.to_owned()),
        })?;
        Ok(Arc::new(StoreFile { file, len: mapped.len(), mapped }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(callback)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.mapped.sync_directory()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{STORED, Schema, TEXT, Value};
    use tantivy::{Index, TantivyDocument};

    #[test]
    fn stored_documents_read_with_pread_are_those_written_before_and_after_a_merge() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT | STORED);
        let index =
            Index::create(IndexDirectory::open(folder.path()).expect("open"), builder.build(), Default::default())
                .expect("an index");
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).expect("a writer");
        for segment in 0..3 {
            for n in 0..500 {
                writer.add_document(tantivy::doc!(text => format!("segment {segment} document {n}"))).expect("add");
            }
            writer.commit().expect("commit");
        }
        let reader = index.reader().expect("a reader");
        let texts = |reader: &tantivy::IndexReader| -> Vec<String> {
            let searcher = reader.searcher();
            let mut texts = Vec::new();
            for (ord, segment) in searcher.segment_readers().iter().enumerate() {
                for doc in 0..segment.max_doc() {
                    let doc: TantivyDocument =
                        searcher.doc(tantivy::DocAddress::new(ord as u32, doc)).expect("a stored document");
                    texts.push(doc.get_first(text).and_then(|v| v.as_str()).expect("its text").to_owned());
                }
            }
            texts.sort();
            texts
        };
        let mut expected: Vec<String> =
            (0..3).flat_map(|s| (0..500).map(move |n| format!("segment {s} document {n}"))).collect();
        expected.sort();
        assert_eq!(reader.searcher().segment_readers().len(), 3);
        assert_eq!(texts(&reader), expected);
        // A merge copies the stores' blocks whole (through the mapping) and deletes the old files.
        let segments = index.searchable_segment_ids().expect("segments");
        writer.merge(&segments).wait().expect("merge");
        writer.garbage_collect_files().wait().expect("collect");
        reader.reload().expect("reload");
        assert_eq!(reader.searcher().segment_readers().len(), 1);
        assert_eq!(texts(&reader), expected);
        let stores = std::fs::read_dir(folder.path())
            .expect("list")
            .filter(|e| e.as_ref().is_ok_and(|e| is_store(&e.path())))
            .count();
        assert_eq!(stores, 1, "the merged segment's store alone is left");
    }

    #[test]
    fn only_document_stores_are_read_with_pread() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        for name in ["0123abcd.store", "0123abcd.idx"] {
            std::fs::write(folder.path().join(name), b"some bytes").expect("write");
        }
        let directory = IndexDirectory::open(folder.path()).expect("open");
        let store = directory.get_file_handle(Path::new("0123abcd.store")).expect("the store");
        let postings = directory.get_file_handle(Path::new("0123abcd.idx")).expect("the postings");
        assert!(format!("{store:?}").starts_with("StoreFile"), "{store:?}");
        assert!(!format!("{postings:?}").starts_with("StoreFile"));
        assert_eq!(store.read_bytes(5..10).expect("read").as_slice(), b"bytes");
        assert_eq!(store.len(), 10);
        // A read of 1 MiB or more (a merge copying a store whole) goes through the mapping: the same bytes.
        let large: Vec<u8> = (0..MAPPED_READ + 10).map(|i| (i % 251) as u8).collect();
        std::fs::write(folder.path().join("large.store"), &large).expect("write");
        let store = directory.get_file_handle(Path::new("large.store")).expect("the large store");
        assert_eq!(store.read_bytes(0..large.len()).expect("read whole").as_slice(), &large[..]);
        assert_eq!(store.read_bytes(7..MAPPED_READ - 1).expect("read most").as_slice(), &large[7..MAPPED_READ - 1]);
        assert!(matches!(
            directory.get_file_handle(Path::new("missing.store")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }
}
