//! Snippets with `<mark>` around the words a query matched, including words it matched through a typo (tantivy's
//! snippet generator does not highlight fuzzy matches, so this module does its own marking).
use rustc_hash::FxHashSet;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::schema::CachedStemmer;

/// What to mark, as the field's analyzer produces it.
#[derive(Default)]
pub struct Targets {
    /// Words to mark exactly (stems, for a field with a stemmer).
    exact: FxHashSet<String>,
    /// Words (folded, unstemmed) that a query word matched with one edit: the index's words within one edit of it.
    fuzzy: FxHashSet<String>,
    /// The shortest and longest of them, in bytes.
    lengths: (usize, usize),
    /// How both kinds of words start, kept as they are added (every snippet of a search reads them).
    starts: Starts,
}

impl Targets {
    /// Adds words to mark exactly.
    pub fn add_exact(&mut self, words: impl IntoIterator<Item = String>) {
        for word in words {
            self.starts.exact.add(&word);
            self.exact.insert(word);
        }
    }

    /// Adds words matched through a typo.
    pub fn add_fuzzy(&mut self, words: impl IntoIterator<Item = String>) {
        for word in words {
            let (low, high) = if self.fuzzy.is_empty() { (usize::MAX, 0) } else { self.lengths };
            self.lengths = (low.min(word.len()), high.max(word.len()));
            self.starts.fuzzy.add(&word);
            self.fuzzy.insert(word);
        }
    }

    /// Whether a word of the text (folded, not yet stemmed: `stemmer` stems it in place when it could match) is one
    /// to mark; `could_be_fuzzy` is what `could_be_fuzzy` said of it as written. A Snowball stem keeps its word's
    /// first two letters, so only words starting as a target does are stemmed.
    fn matches(&self, word: &mut String, stemmer: Option<&CachedStemmer>, surface: &str, could_be_fuzzy: bool) -> bool {
        if self.starts.exact.could_start(word.as_bytes()) {
            if let Some(stemmer) = stemmer {
                stemmer.stem(word);
            }
            if self.exact.contains(word.as_str()) {
                return true;
            }
        }
        could_be_fuzzy && self.fuzzy.contains(&crate::domain::taxonomy::fold(surface))
    }

    /// Whether a word could be one matched through a typo: it has the length of one (folding keeps or shortens a
    /// word) and starts as one does. Folding allocates: only such words are folded.
    fn could_be_fuzzy(&self, surface: &str) -> bool {
        !self.fuzzy.is_empty()
            && self.starts.fuzzy.could_start(surface.as_bytes())
            && surface.len() >= self.lengths.0
            && surface.chars().count() <= self.lengths.1
    }
}

/// How the words to mark start: those to mark exactly (stems), and those matched through a typo (folded words).
#[derive(Default)]
struct Starts {
    exact: FirstTwo,
    fuzzy: FirstTwo,
}

/// The first two letters of some words: for each first byte, one bit per second byte (its low five bits, which tell
/// the lower-case letters apart), or every bit for a one-letter word.
struct FirstTwo([u32; 256]);

impl Default for FirstTwo {
    fn default() -> Self {
        Self([0; 256])
    }
}

impl FirstTwo {
    fn add(&mut self, word: &str) {
        let starts = &mut self.0;
        match word.as_bytes() {
            [] => {}
            [a] => starts[usize::from(*a)] = u32::MAX,
            // English stems "dying" as "die" (and "lying", "tying").
            [a, b'i', ..] => starts[usize::from(*a)] |= 1 << (b'i' & 31) | 1 << (b'y' & 31),
            [a, b, ..] => starts[usize::from(*a)] |= 1 << (b & 31),
        }
    }

    /// Whether a word, folded or as written, could start as a word to mark does once folded to lower case. A letter
    /// outside ASCII could fold to any: a word starting with one could, and its second letter is not checked.
    #[inline]
    fn could_start(&self, word: &[u8]) -> bool {
        match word {
            [] => false,
            [a, ..] if !a.is_ascii() => true,
            [a] => self.0[usize::from(a.to_ascii_lowercase())] != 0,
            [a, b, ..] if !b.is_ascii() => self.0[usize::from(a.to_ascii_lowercase())] != 0,
            [a, b, ..] => self.0[usize::from(a.to_ascii_lowercase())] >> (b.to_ascii_lowercase() & 31) & 1 == 1,
        }
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
    snippet(text, &marks(text, words, stemmer, targets, max_chars), max_chars)
}

/// The byte ranges of the words of `text` to mark, up to the window the first one opens.
fn marks(
    text: &str,
    words: &mut TextAnalyzer,
    stemmer: Option<&CachedStemmer>,
    targets: &Targets,
    max_chars: usize,
) -> Vec<(usize, usize)> {
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for (from, to) in word_spans(text) {
        if marks.first().is_some_and(|&(first, _)| from > first + max_chars) {
            break; // past the window the first match opens
        }
        let surface = &text[from..to];
        // A word that does not start, folded to lower case, as a word to mark exactly does, and could not be one
        // matched through a typo, is passed over without being analysed: most words of a text are.
        let could_be_fuzzy = targets.could_be_fuzzy(surface);
        if !could_be_fuzzy && !targets.starts.exact.could_start(surface.as_bytes()) {
            continue;
        }
        // Each of the analyzer's filters takes one token at a time: the word alone gives the token it gives in the
        // text (or none, for a stop word or a word too long).
        let mut stream = words.token_stream(surface);
        if stream.advance() && targets.matches(&mut stream.token_mut().text, stemmer, surface, could_be_fuzzy) {
            marks.push((from, to));
        }
    }
    marks
}

/// The window of `text` around the first of `marks`, with the marks in it; `None` without marks.
fn snippet(text: &str, marks: &[(usize, usize)], max_chars: usize) -> Option<String> {
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

/// The words of `text` as tantivy's `SimpleTokenizer` cuts them: the runs of alphanumeric characters, as byte ranges.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        let (from, _) = chars.by_ref().find(|(_, c)| c.is_alphanumeric())?;
        let to = chars.by_ref().find(|(_, c)| !c.is_alphanumeric()).map_or(text.len(), |(at, _)| at);
        Some((from, to))
    })
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

    fn to_mark<'a>(words: impl IntoIterator<Item = &'a str>) -> Targets {
        let mut targets = Targets::default();
        targets.add_exact(words.into_iter().map(str::to_owned));
        targets
    }

    fn mark(text: &str, language: Option<Language>, targets: &Targets, max_chars: usize) -> Option<String> {
        let (mut words, stemmer) = unstemmed(language);
        highlight(text, &mut words, stemmer.as_ref(), targets, max_chars)
    }

    #[test]
    fn matched_words_are_marked_and_html_escaped() {
        let targets = to_mark(["hopital"]);
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
        let targets = to_mark(["drone"]);
        let out = mark(&text, Some(Language::English), &targets, 120).expect("a match");
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(out.contains("<mark>drone</mark>"));
        assert!(out.chars().count() < 160);
    }

    /// Every string of a generated marketplace's organisations (names, descriptions in both languages, offers).
    fn generated_texts(organisations: usize, seed: u64) -> Vec<String> {
        fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
            match value {
                serde_json::Value::String(s) => out.push(s.clone()),
                serde_json::Value::Array(values) => values.iter().for_each(|v| strings(v, out)),
                serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
                _ => {}
            }
        }
        let (generated, _) = crate::demo::generate::generate(&crate::demo::generate::DemoSpec { organisations, seed });
        let mut texts = Vec::new();
        generated.iter().for_each(|o| strings(o, &mut texts));
        texts
    }

    #[test]
    fn stems_keep_the_first_two_letters_of_their_words() {
        // Snippets stem only the words starting as a word to mark does (`Starts`): that holds for every word of a
        // generated marketplace (both languages), and for words whose endings the stemmers rewrite.
        let mut texts = vec![
            "yeux quai qu'il aïeux skies dying lying tying ugly early only news gently idly singly happy agency"
                .to_owned(),
            "couramment évidemment journaux heureuse hôpitaux généralement yaourt yole crues".to_owned(),
            "skis news howe atlas cosmos bias andes succeed proceed exceed herring earring inning outing canning y a i"
                .to_owned(),
            "ayons yeuse ouïe naïf aïe oyez ayez ils es rs ys ai eu où yé ées ôtée".to_owned(),
        ];
        texts.extend(generated_texts(300, 5));
        let mut checked = 0;
        for language in [Language::French, Language::English] {
            let (mut words, stemmer) = unstemmed(Some(language));
            let stemmer = stemmer.expect("a stemmer");
            for text in &texts {
                for word in crate::search::schema::tokens(&mut words, text) {
                    let mut stem = word.clone();
                    stemmer.stem(&mut stem);
                    let targets = to_mark([stem.as_str()]);
                    assert!(targets.starts.exact.could_start(word.as_bytes()), "{word} -> {stem} ({language:?})");
                    checked += 1;
                }
            }
        }
        assert!(checked > 50_000, "{checked} words");
    }

    /// The marks found by analysing, stemming and folding every word of the text.
    fn marks_analysing_every_word(
        text: &str,
        words: &mut TextAnalyzer,
        stemmer: Option<&CachedStemmer>,
        targets: &Targets,
        max_chars: usize,
    ) -> Vec<(usize, usize)> {
        let mut marks: Vec<(usize, usize)> = Vec::new();
        let mut stream = words.token_stream(text);
        while stream.advance() {
            let token = stream.token_mut();
            if marks.first().is_some_and(|&(first, _)| token.offset_from > first + max_chars) {
                break;
            }
            let (from, to) = (token.offset_from, token.offset_to);
            // Every word stemmed and every word folded: no shortcut.
            if let Some(stemmer) = stemmer {
                stemmer.stem(&mut token.text);
            }
            if targets.exact.contains(&token.text)
                || targets.fuzzy.contains(&crate::domain::taxonomy::fold(&text[from..to]))
            {
                marks.push((from, to));
            }
        }
        marks
    }

    #[test]
    fn words_passed_over_are_words_that_analysis_would_not_mark() {
        // Generated texts in both languages and the neutral field, and words that test the shortcut's edges: capital
        // and accented first letters, folded ligatures, stop words, words too long, digits.
        let mut texts = vec![
            "École, Île et Œuvre : l'Hôpital des Écluses — les Hôpitaux ; ÉNERGIE, Ætna, Straße 12 drones DRONES"
                .to_owned(),
            format!("le la les the of and {} Cybersécurité cybersecurity 5G IoT", "x".repeat(45)),
        ];
        texts.extend(generated_texts(120, 11));
        let (mut marked, mut compared) = (0, 0);
        for language in [Some(Language::French), Some(Language::English), None] {
            let (mut words, stemmer) = unstemmed(language);
            let mut full = crate::search::schema::analyzer(language);
            let mut unstemmed_words = crate::search::schema::analyzer(None);
            let stems: Vec<String> = texts.iter().flat_map(|t| crate::search::schema::tokens(&mut full, t)).collect();
            let plain: Vec<String> =
                texts.iter().flat_map(|t| crate::search::schema::tokens(&mut unstemmed_words, t)).collect();
            for (i, text) in texts.iter().enumerate() {
                let mut targets = Targets::default();
                targets.add_exact(stems.iter().skip(i * 31 % stems.len()).step_by(97).take(4).cloned());
                targets.add_exact(["hopital", "ecluse", "energi", "oeuvr", "ile", "strass", "drone"].map(String::from));
                if i < 2 || i % 3 == 0 {
                    // Words of other texts, and of this one (folded, as the index holds them).
                    targets.add_fuzzy(plain.iter().skip(i * 17 % plain.len()).step_by(89).take(3).cloned());
                    let own = crate::search::schema::tokens(&mut unstemmed_words, text);
                    targets.add_fuzzy(own.into_iter().skip(i % 5).step_by(9).take(3));
                    targets.add_fuzzy(["aetna".to_owned(), "cybersecurite".to_owned()]);
                }
                for max_chars in [40, 160] {
                    let passing = marks(text, &mut words, stemmer.as_ref(), &targets, max_chars);
                    let analysing = marks_analysing_every_word(text, &mut words, stemmer.as_ref(), &targets, max_chars);
                    assert_eq!(passing, analysing, "{language:?}, {max_chars} chars: {text}");
                    marked += passing.len();
                    compared += 1;
                }
            }
        }
        assert!(compared > 1_000 && marked > 2_000, "{compared} texts compared, {marked} words marked");
    }

    #[test]
    fn no_match_means_no_snippet() {
        let targets = to_mark(["zebra"]);
        assert_eq!(mark("nothing here", Some(Language::English), &targets, 100), None);
    }
}
