//! The index's schema and analyzers. Analyzers are registered every time an index is opened: tantivy keeps only
//! their names on disk.
use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    TextAnalyzerBuilder, Token, TokenFilter, TokenStream, Tokenizer,
};

pub const FRENCH: &str = "tandem_fr";
pub const ENGLISH: &str = "tandem_en";
pub const NEUTRAL: &str = "tandem_neutral";

/// The fields, by name, so that code reads `fields.text_fr` rather than looking names up.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The entity's id (organisation, offer or need).
    pub id: Field,
    /// `organisation`, `offer` or `need`.
    pub doc_type: Field,
    /// The organisation a document belongs to (itself for an organisation).
    pub organisation_id: Field,
    /// Legal name or title, as written (stored), analysed without stemming: names and acronyms.
    pub name: Field,
    pub text_fr: Field,
    pub text_en: Field,
    /// Free keywords and the ids of the taxonomy terms, language-neutral.
    pub keywords: Field,
    /// Every word of the name and texts, unstemmed: typos are matched against what people wrote, not stems.
    pub text_all: Field,
    pub technology: Field,
    pub domain: Field,
    pub sector: Field,
    pub kind: Field,
    pub country: Field,
    /// An offer's TRL, a need's minimum TRL, an organisation's most mature offer.
    pub trl: Field,
    pub published: Field,
    /// The document's summary as JSON, returned with hits (never a contact).
    pub summary: Field,
    /// Every facet value of the document packed into one number (`facets.rs`), for counting.
    pub facets: Field,
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let indexing =
        TextFieldIndexing::default().set_tokenizer(analyzer).set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored { options.set_stored() } else { options }
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        doc_type: builder.add_text_field("type", STRING | STORED),
        organisation_id: builder.add_text_field("organisation_id", STRING | STORED | FAST),
        name: builder.add_text_field("name", text(NEUTRAL, true)),
        text_fr: builder.add_text_field("text_fr", text(FRENCH, true)),
        text_en: builder.add_text_field("text_en", text(ENGLISH, true)),
        keywords: builder.add_text_field("keywords", text(NEUTRAL, false)),
        text_all: builder.add_text_field(
            "text_all",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(NEUTRAL).set_index_option(IndexRecordOption::Basic),
            ),
        ),
        technology: builder.add_text_field("technology", STRING),
        domain: builder.add_text_field("domain", STRING),
        sector: builder.add_text_field("sector", STRING),
        kind: builder.add_text_field("kind", STRING),
        country: builder.add_text_field("country", STRING),
        trl: builder.add_u64_field("trl", INDEXED | FAST),
        published: builder.add_bool_field("published", INDEXED | FAST),
        summary: builder.add_text_field("summary", STORED),
        facets: builder.add_u64_field(super::facets::field_name(), FAST),
    };
    (builder.build(), fields)
}

pub fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        id: f("id")?,
        doc_type: f("type")?,
        organisation_id: f("organisation_id")?,
        name: f("name")?,
        text_fr: f("text_fr")?,
        text_en: f("text_en")?,
        keywords: f("keywords")?,
        text_all: f("text_all")?,
        technology: f("technology")?,
        domain: f("domain")?,
        sector: f("sector")?,
        kind: f("kind")?,
        country: f("country")?,
        trl: f("trl")?,
        published: f("published")?,
        summary: f("summary")?,
        facets: f(super::facets::field_name())?,
    })
}

/// Lower case, stop words dropped, accents folded before stemming (so "sécurité" and "securite" meet), then the
/// language's stemmer; without a language, words are kept whole (names, acronyms).
pub fn analyzer(language: Option<Language>) -> TextAnalyzer {
    match language {
        Some(language) => match CachedStemmer::new(language) {
            Some(stemmer) => folded(language).filter(stemmer).build(),
            None => folded(language).filter(Stemmer::new(language)).build(),
        },
        None => words().filter(AsciiFoldingFilter).build(),
    }
}

/// `analyzer` without its stemmer (French and English), with the stemmer apart: snippets stem only the words that
/// could match. The neutral analyzer has no stemmer.
pub fn unstemmed(language: Option<Language>) -> (TextAnalyzer, Option<CachedStemmer>) {
    match language.and_then(|language| Some((language, CachedStemmer::new(language)?))) {
        Some((language, stemmer)) => (folded(language).build(), Some(stemmer)),
        None => (analyzer(language), None),
    }
}

/// Words, lower case (long ones dropped).
fn words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(40)).filter(LowerCaser)
}

/// Words, lower case, the language's stop words dropped, accents folded: what the stemmer takes.
fn folded(language: Language) -> TextAnalyzerBuilder<impl Tokenizer> {
    words()
        .filter(StopWordFilter::new(language).unwrap_or_else(|| StopWordFilter::remove(Vec::<String>::new())))
        .filter(AsciiFoldingFilter)
}

/// Stems as tantivy's `Stemmer` does (the same Snowball algorithms), keeping each thread's stems of French and
/// English words: the same words come back in every text, query and snippet, and a lookup costs less than the
/// algorithm.
#[derive(Clone, Copy)]
pub struct CachedStemmer {
    stemmer: frostem::Stemmer,
    /// The cache of this language.
    cache: usize,
}

/// Stems kept per thread and language before the cache starts afresh.
const MAX_STEMS: usize = 20_000;

thread_local! {
    static STEMS: std::cell::RefCell<[rustc_hash::FxHashMap<Box<str>, Box<str>>; 2]> = Default::default();
}

impl CachedStemmer {
    /// French and English only (the languages analysed here).
    pub fn new(language: Language) -> Option<Self> {
        let (algorithm, cache) = match language {
            Language::French => (frostem::Algorithm::French, 0),
            Language::English => (frostem::Algorithm::English, 1),
            _ => return None,
        };
        Some(Self { stemmer: frostem::Stemmer::new(algorithm), cache })
    }

    pub fn stem(&self, word: &mut String) {
        STEMS.with_borrow_mut(|stems| {
            let stems = &mut stems[self.cache];
            if let Some(stem) = stems.get(word.as_str()) {
                word.clear();
                word.push_str(stem);
                return;
            }
            let stem: Box<str> = self.stemmer.stem(word).into();
            if stems.len() >= MAX_STEMS {
                stems.clear();
            }
            stems.insert(word.as_str().into(), stem.clone());
            *word = stem.into();
        });
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { stemmer: self, inner }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    stemmer: CachedStemmer,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream { tail: self.inner.token_stream(text), stemmer: self.stemmer }
    }
}

pub struct CachedStemmerStream<T> {
    tail: T,
    stemmer: CachedStemmer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.stemmer.stem(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

pub fn register(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(FRENCH, analyzer(Some(Language::French)));
    tokenizers.register(ENGLISH, analyzer(Some(Language::English)));
    tokenizers.register(NEUTRAL, analyzer(None));
}

/// The tokens an analyzer produces, for queries and tests.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// An empty index in memory with the analyzers registered, its fields and a one-thread writer (unit tests).
#[cfg(test)]
pub(crate) fn in_ram() -> (Index, Fields, tantivy::IndexWriter) {
    let (schema, fields) = build();
    let index = Index::create_in_ram(schema);
    register(&index);
    let writer = index.writer_with_num_threads(1, 15_000_000).expect("writer");
    (index, fields, writer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr(text: &str) -> Vec<String> {
        tokens(&mut analyzer(Some(Language::French)), text)
    }

    fn en(text: &str) -> Vec<String> {
        tokens(&mut analyzer(Some(Language::English)), text)
    }

    #[test]
    fn french_folds_accents_before_stemming() {
        assert_eq!(fr("Cyber-Sécurité"), fr("cyber securite"));
        assert_eq!(fr("sécurité"), fr("SECURITE"));
        assert_eq!(fr("hôpitaux"), fr("hôpital"));
        assert_eq!(fr("portuaires"), fr("portuaire"));
        assert_eq!(fr("détection de drones"), fr("détections drone"));
    }

    #[test]
    fn french_drops_stop_words() {
        assert_eq!(fr("la détection des drones pour les ports").len(), 3);
    }

    #[test]
    fn english_stems_plurals() {
        assert_eq!(en("ports"), en("port"));
        assert_eq!(en("Hospitals"), en("hospital"));
        assert_eq!(en("the detection of drones"), en("detect drone"));
    }

    #[test]
    fn cached_stems_are_tantivy_s_stems() {
        let words = "la détection des drones pour les hôpitaux portuaires sensors hospitals flooding cities dying \
                     cybersécurité surveillance vidéo inondations détection hospitals drones";
        for language in [Language::French, Language::English] {
            let tantivy = || {
                TextAnalyzer::builder(SimpleTokenizer::default())
                    .filter(LowerCaser)
                    .filter(AsciiFoldingFilter)
                    .filter(Stemmer::new(language))
                    .build()
            };
            let cached = || {
                TextAnalyzer::builder(SimpleTokenizer::default())
                    .filter(LowerCaser)
                    .filter(AsciiFoldingFilter)
                    .filter(CachedStemmer::new(language).expect("French and English are cached"))
                    .build()
            };
            let expected = tokens(&mut tantivy(), words);
            // Twice: the second time from the cache.
            assert_eq!(tokens(&mut cached(), words), expected, "{language:?}");
            assert_eq!(tokens(&mut cached(), words), expected, "{language:?}, cached");
        }
        assert_eq!(tokens(&mut analyzer(Some(Language::English)), "flooding cities"), ["flood", "citi"]);
    }

    #[test]
    fn the_neutral_analyzer_keeps_words_whole() {
        let mut neutral = analyzer(None);
        assert_eq!(tokens(&mut neutral, "SENTINELLE Numérique SAS"), ["sentinelle", "numerique", "sas"]);
        assert_eq!(tokens(&mut neutral, "UAV-X2"), ["uav", "x2"]);
    }
}
