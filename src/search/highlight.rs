//! Snippets with `<mark>` around the words a query matched, including words it matched through a typo (tantivy's
//! snippet generator does not highlight fuzzy matches, so this module does its own marking).
use rustc_hash::FxHashSet;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::schema::CachedStemmer;

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

    /// Whether a word of the text (folded, not yet stemmed: `stemmer` stems it in place when it could match) is one
    /// to mark. A Snowball stem keeps its word's first letter, so only words starting as a target does are stemmed.
    fn matches(&self, firsts: &[bool; 256], word: &mut String, stemmer: Option<&CachedStemmer>, surface: &str) -> bool {
        if word.as_bytes().first().is_some_and(|&b| firsts[usize::from(b)]) {
            if let Some(stemmer) = stemmer {
                stemmer.stem(word);
            }
            if self.exact.contains(word.as_str()) {
                return true;
            }
        }
        // Folding allocates: only words whose length could match are folded (folding keeps or shortens a word).
        if self.fuzzy.is_empty() || surface.len() < self.lengths.0 || surface.chars().count() > self.lengths.1 {
            return false;
        }
        self.fuzzy.contains(&crate::domain::taxonomy::fold(surface))
    }

    /// The first bytes of the words to mark exactly.
    fn firsts(&self) -> [bool; 256] {
        let mut firsts = [false; 256];
        for word in &self.exact {
            if let Some(&b) = word.as_bytes().first() {
                firsts[usize::from(b)] = true;
            }
        }
        firsts
    }
}

/// The best window of about `max_chars` characters of `text`, HTML-escaped, with matched words in `<mark>`;
/// `None` when nothing in the text matches. `words` is the field's analyzer without its stemmer, `stemmer` the
/// stemmer (`schema::unstemmed`).
pub fn highlight(
    text: &str,
    words: &mut TextAnalyzer,
    stemmer: Option<&CachedStemmer>,
    targets: &Targets,
    max_chars: usize,
) -> Option<String> {
    let firsts = targets.firsts();
    let mut marks: Vec<(usize, usize)> = Vec::new();
    let mut stream = words.token_stream(text);
    while stream.advance() {
        let token = stream.token_mut();
        if marks.first().is_some_and(|&(first, _)| token.offset_from > first + max_chars) {
            break; // past the window the first match opens
        }
        let (from, to) = (token.offset_from, token.offset_to);
        if targets.matches(&firsts, &mut token.text, stemmer, &text[from..to]) {
            marks.push((from, to));
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
    use crate::search::schema::unstemmed;
    use tantivy::tokenizer::Language;

    fn mark(text: &str, language: Option<Language>, targets: &Targets, max_chars: usize) -> Option<String> {
        let (mut words, stemmer) = unstemmed(language);
        highlight(text, &mut words, stemmer.as_ref(), targets, max_chars)
    }

    #[test]
    fn matched_words_are_marked_and_html_escaped() {
        let targets = Targets { exact: ["hopital".to_owned()].into_iter().collect(), ..Targets::default() };
        let out =
            mark("Cyberattaque <grave> à l'Hôpital de Brest", Some(Language::French), &targets, 200).expect("a match");
        assert_eq!(out, "Cyberattaque &lt;grave&gt; à l'<mark>Hôpital</mark> de Brest");
    }

    #[test]
    fn a_word_matched_through_a_typo_is_marked_too() {
        let mut targets = Targets::default();
        targets.add_fuzzy(["ransomware".to_owned(), "ransomwre".to_owned()]);
        let out = mark("Protection against Ransomware for hospitals", Some(Language::English), &targets, 200)
            .expect("a match");
        assert!(out.contains("<mark>Ransomware</mark>"), "{out}");
        assert!(!out.contains("<mark>hospitals"), "{out}");
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match() {
        let text = format!("{} drone detection {}", "word ".repeat(100), "tail ".repeat(100));
        let targets = Targets { exact: ["drone".to_owned()].into_iter().collect(), ..Targets::default() };
        let out = mark(&text, Some(Language::English), &targets, 120).expect("a match");
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(out.contains("<mark>drone</mark>"));
        assert!(out.chars().count() < 160);
    }

    #[test]
    fn stems_keep_the_first_letter_of_their_words() {
        // Snippets stem only the words whose first letter starts a word to mark: that holds for every word of a
        // generated marketplace (both languages), and for words whose endings the stemmers rewrite.
        let (organisations, _) =
            crate::demo::generate::generate(&crate::demo::generate::DemoSpec { organisations: 300, seed: 5 });
        let mut texts = vec![
            "yeux quai qu'il aïeux skies dying lying tying ugly early only news gently idly singly happy agency"
                .to_owned(),
            "couramment évidemment journaux heureuse hôpitaux généralement yaourt yole crues".to_owned(),
        ];
        fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
            match value {
                serde_json::Value::String(s) => out.push(s.clone()),
                serde_json::Value::Array(values) => values.iter().for_each(|v| strings(v, out)),
                serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
                _ => {}
            }
        }
        organisations.iter().for_each(|o| strings(o, &mut texts));
        let mut checked = 0;
        for language in [Language::French, Language::English] {
            let (mut words, stemmer) = unstemmed(Some(language));
            let stemmer = stemmer.expect("a stemmer");
            for text in &texts {
                for word in crate::search::schema::tokens(&mut words, text) {
                    let mut stem = word.clone();
                    stemmer.stem(&mut stem);
                    assert_eq!(stem.as_bytes().first(), word.as_bytes().first(), "{word} -> {stem} ({language:?})");
                    checked += 1;
                }
            }
        }
        assert!(checked > 50_000, "{checked} words");
    }

    #[test]
    fn no_match_means_no_snippet() {
        let targets = Targets { exact: ["zebra".to_owned()].into_iter().collect(), ..Targets::default() };
        assert_eq!(mark("nothing here", Some(Language::English), &targets, 100), None);
    }
}
