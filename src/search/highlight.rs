//! Snippets with `<mark>` around the words a query matched, including words it matched through a typo (tantivy's
//! snippet generator does not highlight fuzzy matches, so this module does its own marking).
use rustc_hash::FxHashSet;

use tantivy::tokenizer::TextAnalyzer;

/// What to mark, as the field's analyzer produces it.
#[derive(Default)]
pub struct Targets {
    pub exact: FxHashSet<String>,
    /// Words (folded, unstemmed) that a query word matched with one edit: the index's words within one edit of it.
    pub fuzzy: FxHashSet<String>,
    /// The shortest and longest of them, in bytes.
    lengths: (usize, usize),
}

impl Targets {
    /// Adds words matched through a typo.
    pub fn add_fuzzy(&mut self, words: impl IntoIterator<Item = String>) {
        for word in words {
            let (low, high) = if self.fuzzy.is_empty() { (usize::MAX, 0) } else { self.lengths };
            self.lengths = (low.min(word.len()), high.max(word.len()));
            self.fuzzy.insert(word);
        }
    }

    fn matches(&self, token: &str, surface: &str) -> bool {
        if self.exact.contains(token) {
            return true;
        }
        // Folding allocates: only words whose length could match are folded (folding keeps or shortens a word).
        if self.fuzzy.is_empty() || surface.len() < self.lengths.0 || surface.chars().count() > self.lengths.1 {
            return false;
        }
        self.fuzzy.contains(&crate::domain::taxonomy::fold(surface))
    }
}

/// The best window of about `max_chars` characters of `text`, HTML-escaped, with matched words in `<mark>`;
/// `None` when nothing in the text matches.
pub fn highlight(text: &str, analyzer: &mut TextAnalyzer, targets: &Targets, max_chars: usize) -> Option<String> {
    let mut marks: Vec<(usize, usize)> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        if marks.first().is_some_and(|&(first, _)| token.offset_from > first + max_chars) {
            break; // past the window the first match opens
        }
        if targets.matches(&token.text, &text[token.offset_from..token.offset_to]) {
            marks.push((token.offset_from, token.offset_to));
        }
    }
    let first = marks.first()?.0;
    let start = floor_boundary(text, first.saturating_sub(max_chars / 4));
    let start = if start == 0 { 0 } else { text[start..first].find(' ').map_or(start, |space| start + space + 1) };
    let end = floor_boundary(text, (start + max_chars).min(text.len()));
    let end = if end < text.len() { text[..end].rfind(' ').filter(|&e| e > first).unwrap_or(end) } else { end };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut cursor = start;
    for &(from, to) in marks.iter().filter(|(from, to)| *from >= start && *to <= end) {
        out.push_str(&html_escape::encode_text(&text[cursor..from]));
        out.push_str("<mark>");
        out.push_str(&html_escape::encode_text(&text[from..to]));
        out.push_str("</mark>");
        cursor = to;
    }
    out.push_str(&html_escape::encode_text(&text[cursor..end]));
    if end < text.len() {
        out.push('…');
    }
    Some(out)
}

fn floor_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::schema::analyzer;
    use tantivy::tokenizer::Language;

    #[test]
    fn matched_words_are_marked_and_html_escaped() {
        let mut fr = analyzer(Some(Language::French));
        let targets = Targets { exact: ["hopital".to_owned()].into_iter().collect(), ..Targets::default() };
        let out = highlight("Cyberattaque <grave> à l'Hôpital de Brest", &mut fr, &targets, 200).expect("a match");
        assert_eq!(out, "Cyberattaque &lt;grave&gt; à l'<mark>Hôpital</mark> de Brest");
    }

    #[test]
    fn a_word_matched_through_a_typo_is_marked_too() {
        let mut en = analyzer(Some(Language::English));
        let mut targets = Targets::default();
        targets.add_fuzzy(["ransomware".to_owned(), "ransomwre".to_owned()]);
        let out = highlight("Protection against Ransomware for hospitals", &mut en, &targets, 200).expect("a match");
        assert!(out.contains("<mark>Ransomware</mark>"), "{out}");
        assert!(!out.contains("<mark>hospitals"), "{out}");
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let mut en = analyzer(Some(Language::English));
        let text = format!("{} drone detection {}", "word ".repeat(100), "tail ".repeat(100));
        let targets = Targets { exact: ["drone".to_owned()].into_iter().collect(), ..Targets::default() };
        let out = highlight(&text, &mut en, &targets, 120).expect("a match");
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(out.contains("<mark>drone</mark>"));
        assert!(out.chars().count() < 160);
    }

    #[test]
    fn no_match_means_no_snippet() {
        let mut en = analyzer(Some(Language::English));
        let targets = Targets { exact: ["zebra".to_owned()].into_iter().collect(), ..Targets::default() };
        assert_eq!(highlight("nothing here", &mut en, &targets, 100), None);
    }
}
