//! Facet counts and filters over the whole result set. Every document carries its facet values packed into one
//! `u64` fast field: one bit per taxonomy term (technologies, domains, sectors, kinds), a 10-bit code for the
//! country, then its type, published flag and TRL, so that filtering and counting a hit costs one column read and a
//! few bit operations, whatever the number of hits.
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use tantivy::columnar::ColumnValues;
use tantivy::index::SegmentId;
use tantivy::{Searcher, SegmentReader};

use crate::domain::taxonomy::Facet;

pub type Counts = BTreeMap<&'static str, BTreeMap<String, u64>>;

const TAGGED: [Facet; 4] = [Facet::Technology, Facet::Domain, Facet::Sector, Facet::Kind];
const COUNTRY_BITS: u32 = 10;
/// After the country: the document type (2 bits), the published flag (1 bit) and the TRL (4 bits, 0 for none).
const TYPE_BITS: u32 = 2;
const TRL_BITS: u32 = 4;
/// Names the packed layout's version in the field name: another layout is another schema.
const LAYOUT_VERSION: &str = "v2";

/// The bit of each taxonomy term, in taxonomy order; the country code takes the bits after them.
struct Layout {
    bits: Vec<(Facet, &'static str)>,
    country_shift: u32,
    /// Names the fast field after the layout, so that an index packed with another taxonomy has another schema
    /// (and is rebuilt) instead of being misread.
    field_name: String,
}

static LAYOUT: LazyLock<Layout> = LazyLock::new(|| {
    let bits: Vec<(Facet, &'static str)> =
        TAGGED.iter().flat_map(|facet| facet.terms().iter().map(move |term| (*facet, term.id))).collect();
    let country_shift = bits.len() as u32;
    assert!(
        country_shift + COUNTRY_BITS + TYPE_BITS + 1 + TRL_BITS <= 64,
        "the taxonomy no longer fits the packed facet field"
    );
    // FNV-1a over the layout: stable across builds and platforms.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let layout = bits.iter().flat_map(|(facet, id)| facet.as_str().bytes().chain(id.bytes()).chain([0]));
    for byte in layout.chain(LAYOUT_VERSION.bytes()) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    Layout { bits, country_shift, field_name: format!("facets_{:08x}", hash as u32) }
});

/// The name of the packed fast field in the schema.
pub fn field_name() -> &'static str {
    &LAYOUT.field_name
}

fn country_code(country: &str) -> u64 {
    match country.as_bytes() {
        [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => (u64::from(a - b'A' + 1) << 5) | u64::from(b - b'A' + 1),
        _ => 0,
    }
}

fn country_name(code: usize) -> Option<String> {
    let letter = |v: usize| (1..=26).contains(&v).then(|| char::from(b'A' + v as u8 - 1));
    Some([letter(code >> 5)?, letter(code & 31)?].iter().collect())
}

/// The document types, by their code in the packed field.
const TYPES: [&str; 3] = ["organisation", "offer", "need"];

fn type_code(doc_type: &str) -> Option<u64> {
    TYPES.iter().position(|t| *t == doc_type).map(|p| p as u64 + 1)
}

/// What a document is, besides its tags and country.
#[derive(Debug, Clone, Copy)]
pub struct Packed<'a> {
    pub country: &'a str,
    pub doc_type: &'a str,
    pub published: bool,
    pub trl: Option<u8>,
}

/// Packs a document's facet values; tags outside the taxonomy have no bit (the API only accepts taxonomy ids).
pub fn pack<'a>(tags: impl IntoIterator<Item = (Facet, &'a str)>, what: Packed<'_>) -> u64 {
    let layout = &*LAYOUT;
    let mut packed = country_code(what.country) << layout.country_shift;
    for (facet, id) in tags {
        if let Some(bit) = layout.bits.iter().position(|(f, i)| *f == facet && *i == id) {
            packed |= 1 << bit;
        }
    }
    let rest = layout.country_shift + COUNTRY_BITS;
    packed |= type_code(what.doc_type).unwrap_or(0) << rest;
    packed |= u64::from(what.published) << (rest + TYPE_BITS);
    packed |= u64::from(what.trl.unwrap_or(0).min(15)) << (rest + TYPE_BITS + 1);
    packed
}

/// A search's filters, checked against a document's packed value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    /// Bits every hit must have (technology, domain, sector, kind).
    tags: u64,
    /// Type, country, published: the bits under `mask` must equal `value`.
    mask: u64,
    value: u64,
    trl_min: Option<u64>,
    /// A filter value that no document can have (a tag outside the taxonomy, a malformed country).
    impossible: bool,
}

impl Filter {
    /// Requires a tag; a value outside the taxonomy matches nothing.
    pub fn tag(&mut self, facet: Facet, id: &str) {
        match LAYOUT.bits.iter().position(|(f, i)| *f == facet && *i == id) {
            Some(bit) => self.tags |= 1 << bit,
            None => self.impossible = true,
        }
    }

    pub fn country(&mut self, country: &str) {
        let code = country_code(country);
        if code == 0 {
            self.impossible = true;
        }
        self.require(LAYOUT.country_shift, COUNTRY_BITS, code);
    }

    pub fn doc_type(&mut self, doc_type: &str) {
        match type_code(doc_type) {
            Some(code) => self.require(LAYOUT.country_shift + COUNTRY_BITS, TYPE_BITS, code),
            None => self.impossible = true,
        }
    }

    pub fn published(&mut self) {
        self.require(LAYOUT.country_shift + COUNTRY_BITS + TYPE_BITS, 1, 1);
    }

    /// Documents with a TRL of at least `trl`; documents without one never pass.
    pub fn trl_min(&mut self, trl: u64) {
        self.trl_min = Some(trl.max(1));
    }

    fn require(&mut self, shift: u32, bits: u32, value: u64) {
        let mask = ((1 << bits) - 1) << shift;
        self.mask |= mask;
        self.value = (self.value & !mask) | ((value << shift) & mask);
    }

    /// Whether any document could pass.
    pub fn possible(&self) -> bool {
        !self.impossible
    }

    #[inline]
    pub fn accepts(&self, packed: u64) -> bool {
        if packed & self.tags != self.tags || packed & self.mask != self.value {
            return false;
        }
        match self.trl_min {
            None => true,
            Some(min) => (packed >> (LAYOUT.country_shift + COUNTRY_BITS + TYPE_BITS + 1)) & 15 >= min,
        }
    }
}

/// A byte's bits spread over the eight bytes of a `u64`: adding `SPREAD[b]` counts each bit of `b` in its own lane.
static SPREAD: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        while bit < 8 {
            table[byte] |= ((byte as u64 >> bit) & 1) << (8 * bit);
            bit += 1;
        }
        byte += 1;
    }
    table
};

/// The most tag bits the packed value can hold, in lanes of eight.
const LANES: usize = 8;

/// Hits and facet counts of a result set. A hit's tags are counted eight at a time, one byte-wide counter per tag in
/// a `u64` per byte of the packed value (a table lookup and an addition per byte, whatever the number of tags), and
/// the counters are emptied into `bits` before any of them can overflow.
#[derive(Debug, Clone)]
pub struct Tally {
    pub total: usize,
    bits: Vec<u64>,
    countries: Vec<u64>,
    lanes: [u64; LANES],
    /// Hits counted in `lanes` since they were last emptied (at most 255).
    pending: u32,
}

impl Default for Tally {
    fn default() -> Self {
        Self {
            total: 0,
            bits: vec![0; LAYOUT.bits.len()],
            countries: vec![0; 1 << COUNTRY_BITS],
            lanes: [0; LANES],
            pending: 0,
        }
    }
}

impl Tally {
    pub(crate) fn add(&mut self, packed: u64) {
        self.total += 1;
        let layout = &*LAYOUT;
        let tags = packed & ((1 << layout.country_shift) - 1);
        for (lane, byte) in
            self.lanes.iter_mut().zip(tags.to_le_bytes()).take(layout.country_shift.div_ceil(8) as usize)
        {
            *lane += SPREAD[byte as usize];
        }
        self.pending += 1;
        if self.pending == u32::from(u8::MAX) {
            self.empty_lanes();
        }
        self.countries[(packed >> layout.country_shift) as usize & ((1 << COUNTRY_BITS) - 1)] += 1;
    }

    /// Each tag's count held in `lanes`, by bit.
    fn in_lanes(lanes: &[u64; LANES]) -> impl Iterator<Item = u64> + '_ {
        lanes.iter().flat_map(|lane| lane.to_le_bytes().map(u64::from))
    }

    fn empty_lanes(&mut self) {
        for (count, held) in self.bits.iter_mut().zip(Self::in_lanes(&self.lanes)) {
            *count += held;
        }
        self.lanes = [0; LANES];
        self.pending = 0;
    }

    /// Each tag's count, by bit.
    fn tags(&self) -> impl Iterator<Item = u64> + '_ {
        self.bits.iter().zip(Self::in_lanes(&self.lanes)).map(|(counted, held)| counted + held)
    }

    /// Counts a hit, with its facet values when `facets`.
    #[inline]
    pub(crate) fn count(&mut self, packed: u64, facets: bool) {
        if facets {
            self.add(packed);
        } else {
            self.total += 1;
        }
    }

    /// Adds the counts of another part of the result set.
    pub(crate) fn merge(&mut self, other: &Tally) {
        self.total += other.total;
        for (mine, theirs) in self.bits.iter_mut().zip(other.tags()) {
            *mine += theirs;
        }
        for (mine, theirs) in self.countries.iter_mut().zip(&other.countries) {
            *mine += theirs;
        }
    }

    /// Counts by facet and value, leaving out values no hit has; every facet is named, even when empty.
    pub fn counts(&self) -> Counts {
        let mut out: Counts = BTreeMap::new();
        for facet in TAGGED {
            out.insert(facet.as_str(), BTreeMap::new());
        }
        for ((facet, id), count) in LAYOUT.bits.iter().zip(self.tags()) {
            if count > 0 {
                out.entry(facet.as_str()).or_default().insert((*id).to_owned(), count);
            }
        }
        let countries = out.entry("country").or_default();
        for (code, count) in self.countries.iter().enumerate().filter(|(_, c)| **c > 0) {
            if let Some(name) = country_name(code) {
                countries.insert(name, *count);
            }
        }
        out
    }
}

/// The packed values of one segment's documents, as stored (bit-packed).
pub fn column(segment: &SegmentReader) -> tantivy::Result<Arc<dyn ColumnValues<u64>>> {
    Ok(segment.fast_fields().u64(field_name())?.first_or_default_col(0))
}

/// The packed values of each segment, decoded once into a plain array (8 bytes a document): a segment never
/// changes once written, and every search reads the value of each document it matches.
#[derive(Default)]
pub struct Columns {
    entries: Mutex<HashMap<SegmentId, Arc<[u64]>>>,
}

impl Columns {
    fn lock(&self) -> MutexGuard<'_, HashMap<SegmentId, Arc<[u64]>>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The values of every segment of `searcher`, in its order.
    pub fn of(&self, searcher: &Searcher) -> tantivy::Result<Vec<Arc<[u64]>>> {
        let segments = searcher.segment_readers();
        let mut out = Vec::with_capacity(segments.len());
        for segment in segments {
            let id = segment.segment_id();
            if let Some(values) = self.lock().get(&id) {
                out.push(values.clone());
                continue;
            }
            let mut values = vec![0; segment.max_doc() as usize];
            column(segment)?.get_range(0, &mut values);
            let values: Arc<[u64]> = values.into();
            let mut entries = self.lock();
            // Segments merged away since the last miss go (a search still holding them keeps its own copy).
            entries.retain(|kept, _| segments.iter().any(|s| s.segment_id() == *kept));
            entries.insert(id, values.clone());
            out.push(values);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_values_are_counted_back_by_name() {
        let mut tally = Tally::default();
        let what = |country| Packed { country, doc_type: "offer", published: true, trl: Some(7) };
        tally.add(pack([(Facet::Technology, "ai"), (Facet::Kind, "sme"), (Facet::Sector, "health")], what("FR")));
        tally.add(pack([(Facet::Technology, "ai"), (Facet::Kind, "end_user")], what("DE")));
        tally.add(pack([(Facet::Technology, "not_a_term")], what("ZZ")));
        let counts = tally.counts();
        assert_eq!(tally.total, 3);
        assert_eq!(counts["technology"].get("ai"), Some(&2));
        assert_eq!(counts["technology"].len(), 1);
        assert_eq!(counts["kind"].get("sme"), Some(&1));
        assert_eq!(counts["sector"].get("health"), Some(&1));
        assert_eq!(counts["country"].get("FR"), Some(&1));
        assert_eq!(counts["country"].get("ZZ"), Some(&1));
        assert!(counts["domain"].is_empty());
    }

    #[test]
    fn tallies_of_parts_add_up_to_the_whole() {
        let what = |country| Packed { country, doc_type: "need", published: true, trl: None };
        let values = [
            pack([(Facet::Technology, "ai"), (Facet::Kind, "sme")], what("FR")),
            pack([(Facet::Technology, "ai"), (Facet::Domain, "cybersecurity")], what("DE")),
            pack([(Facet::Sector, "health")], what("FR")),
        ];
        let mut whole = Tally::default();
        values.iter().for_each(|v| whole.add(*v));
        let (mut first, mut second) = (Tally::default(), Tally::default());
        first.add(values[0]);
        values[1..].iter().for_each(|v| second.add(*v));
        first.merge(&second);
        assert_eq!(first.total, 3);
        assert_eq!(first.counts(), whole.counts());
        assert_eq!(first.counts()["country"].get("FR"), Some(&2));
    }

    #[test]
    fn many_hits_are_counted_exactly_however_the_tally_is_split() {
        // More hits than a lane holds (255), in tallies of every size, merged with counts still in their lanes.
        let ids: Vec<(Facet, &str)> = LAYOUT.bits.clone();
        // Every fifth tag on every hit (a lane full to its last count), the others on some.
        let holds = |i: usize, b: usize| b.is_multiple_of(5) || (i * 7 + b * 13).is_multiple_of(b + 2);
        let value = |i: usize| {
            let tags = ids.iter().enumerate().filter(|(b, _)| holds(i, *b)).map(|(_, t)| *t);
            let country = ["FR", "DE", "BE", "IT"][i % 4];
            pack(tags, Packed { country, doc_type: "offer", published: true, trl: Some(5) })
        };
        let hits = 2_000;
        let mut expected = vec![0u64; ids.len()];
        for i in 0..hits {
            for (b, _) in ids.iter().enumerate().filter(|(b, _)| holds(i, *b)) {
                expected[b] += 1;
            }
        }
        for split in [0, 1, 254, 255, 256, 511, 1_000, hits] {
            let (mut first, mut second) = (Tally::default(), Tally::default());
            (0..split).for_each(|i| first.add(value(i)));
            (split..hits).for_each(|i| second.add(value(i)));
            first.merge(&second);
            let counts = first.counts();
            assert_eq!(first.total, hits, "split at {split}");
            for ((facet, id), want) in ids.iter().zip(&expected) {
                assert_eq!(counts[facet.as_str()].get(*id).copied().unwrap_or(0), *want, "{id}, split at {split}");
            }
            assert_eq!(counts["country"].get("FR"), Some(&500), "split at {split}");
        }
        assert_eq!(expected[0], hits as u64, "the first tag is on every hit");
    }

    #[test]
    fn filters_read_the_packed_value() {
        let offer = pack(
            [(Facet::Technology, "ai"), (Facet::Kind, "sme")],
            Packed { country: "FR", doc_type: "offer", published: true, trl: Some(7) },
        );
        let need = pack(
            [(Facet::Technology, "ai"), (Facet::Kind, "end_user")],
            Packed { country: "DE", doc_type: "need", published: false, trl: None },
        );
        let accepts = |build: &dyn Fn(&mut Filter)| {
            let mut filter = Filter::default();
            build(&mut filter);
            (filter.accepts(offer), filter.accepts(need))
        };
        assert_eq!(accepts(&|_| {}), (true, true));
        assert_eq!(accepts(&|f| f.tag(Facet::Technology, "ai")), (true, true));
        assert_eq!(accepts(&|f| f.tag(Facet::Kind, "sme")), (true, false));
        assert_eq!(accepts(&|f| f.country("DE")), (false, true));
        assert_eq!(accepts(&|f| f.doc_type("offer")), (true, false));
        assert_eq!(accepts(&|f| f.published()), (true, false));
        assert_eq!(accepts(&|f| f.trl_min(7)), (true, false));
        assert_eq!(accepts(&|f| f.trl_min(8)), (false, false));
        assert_eq!(accepts(&|f| f.trl_min(0)), (true, false));
        let mut unknown = Filter::default();
        unknown.tag(Facet::Technology, "not_a_term");
        assert!(!unknown.possible());
    }
}
