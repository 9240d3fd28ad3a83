//! Facet counts over the whole result set. Every document carries its facet values packed into one `u64` fast
//! field: one bit per taxonomy term (technologies, domains, sectors, kinds) and a 10-bit code for the country, so
//! that counting a hit costs one column read and a few bit operations, whatever the number of hits.
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use tantivy::columnar::ColumnValues;
use tantivy::{DocId, SegmentReader};

use crate::domain::taxonomy::Facet;

pub type Counts = BTreeMap<&'static str, BTreeMap<String, u64>>;

const TAGGED: [Facet; 4] = [Facet::Technology, Facet::Domain, Facet::Sector, Facet::Kind];
const COUNTRY_BITS: u32 = 10;

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
    assert!(country_shift + COUNTRY_BITS <= 64, "the taxonomy no longer fits the packed facet field");
    // FNV-1a over the layout: stable across builds and platforms.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bits.iter().flat_map(|(facet, id)| facet.as_str().bytes().chain(id.bytes()).chain([0])) {
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

/// Packs a document's facet values; values outside the taxonomy are not counted (filters still find them).
pub fn pack<'a>(tags: impl IntoIterator<Item = (Facet, &'a str)>, country: &str) -> u64 {
    let layout = &*LAYOUT;
    let mut packed = country_code(country) << layout.country_shift;
    for (facet, id) in tags {
        if let Some(bit) = layout.bits.iter().position(|(f, i)| *f == facet && *i == id) {
            packed |= 1 << bit;
        }
    }
    packed
}

/// Hits and facet counts of a result set.
#[derive(Debug, Clone)]
pub struct Tally {
    pub total: usize,
    bits: Vec<u64>,
    countries: Vec<u64>,
}

impl Default for Tally {
    fn default() -> Self {
        Self { total: 0, bits: vec![0; LAYOUT.bits.len()], countries: vec![0; 1 << COUNTRY_BITS] }
    }
}

impl Tally {
    fn add(&mut self, packed: u64) {
        self.total += 1;
        let layout = &*LAYOUT;
        let mut tags = packed & ((1 << layout.country_shift) - 1);
        while tags != 0 {
            self.bits[tags.trailing_zeros() as usize] += 1;
            tags &= tags - 1;
        }
        self.countries[(packed >> layout.country_shift) as usize & ((1 << COUNTRY_BITS) - 1)] += 1;
    }

    pub fn merge(&mut self, other: Tally) {
        self.total += other.total;
        for (target, count) in self.bits.iter_mut().zip(other.bits) {
            *target += count;
        }
        for (target, count) in self.countries.iter_mut().zip(other.countries) {
            *target += count;
        }
    }

    /// Counts by facet and value, leaving out values no hit has; every facet is named, even when empty.
    pub fn counts(&self) -> Counts {
        let mut out: Counts = BTreeMap::new();
        for facet in TAGGED {
            out.insert(facet.as_str(), BTreeMap::new());
        }
        for ((facet, id), count) in LAYOUT.bits.iter().zip(&self.bits) {
            if *count > 0 {
                out.entry(facet.as_str()).or_default().insert((*id).to_owned(), *count);
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

/// Counts the hits of one segment from its packed column.
pub struct FacetCounts {
    column: Arc<dyn ColumnValues<u64>>,
    tally: Tally,
}

impl FacetCounts {
    pub fn for_reader(segment: &SegmentReader) -> tantivy::Result<Self> {
        let column = segment.fast_fields().u64(field_name())?.first_or_default_col(0);
        Ok(Self { column, tally: Tally::default() })
    }

    pub fn add(&mut self, doc: DocId) {
        self.tally.add(self.column.get_val(doc));
    }

    pub fn finish(self) -> Tally {
        self.tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_values_are_counted_back_by_name() {
        let mut tally = Tally::default();
        tally.add(pack([(Facet::Technology, "ai"), (Facet::Kind, "sme"), (Facet::Sector, "health")], "FR"));
        tally.add(pack([(Facet::Technology, "ai"), (Facet::Kind, "end_user")], "DE"));
        tally.add(pack([(Facet::Technology, "not_a_term")], "ZZ"));
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
}
