//! Facet counts over the whole result set, read from the fast fields' term ordinals.
use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

pub const FACETS: [&str; 5] = ["technology", "domain", "sector", "kind", "country"];

pub type Counts = BTreeMap<&'static str, BTreeMap<String, u64>>;

pub struct FacetCounts;

pub struct SegmentFacetCounts {
    columns: Vec<(&'static str, Option<StrColumn>, Vec<u64>)>,
}

impl Collector for FacetCounts {
    type Fruit = Counts;
    type Child = SegmentFacetCounts;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let fast = segment.fast_fields();
        let mut columns = Vec::with_capacity(FACETS.len());
        for name in FACETS {
            let column = fast.str(name)?;
            let size = column.as_ref().map_or(0, |c| c.num_terms());
            columns.push((name, column, vec![0; size]));
        }
        Ok(SegmentFacetCounts { columns })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged: Counts = FACETS.iter().map(|f| (*f, BTreeMap::new())).collect();
        for fruit in fruits {
            for (facet, counts) in fruit {
                let target = merged.entry(facet).or_default();
                for (value, count) in counts {
                    *target.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentFacetCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (_, column, counts) in &mut self.columns {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    if let Some(slot) = counts.get_mut(ord as usize) {
                        *slot += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> Counts {
        let mut out = Counts::new();
        for (name, column, counts) in self.columns {
            let entry = out.entry(name).or_default();
            let Some(column) = column else { continue };
            let mut value = String::new();
            for (ord, count) in counts.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                value.clear();
                if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    entry.insert(value.clone(), count);
                }
            }
        }
        out
    }
}
