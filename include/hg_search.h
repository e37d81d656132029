/* hg_search.h - the search stage: one client-side index per language,
 * written as a few hundred small gzip files that assets/search.js fetches on
 * demand (file format: the comment at the top of src/search.c).
 *
 * Thread-safety: hg_search_build and the tokenizer keep no global state; two
 * languages may be built on two threads at once. A tokenizer object is used
 * by one thread at a time. */
#ifndef HG_SEARCH_H
#define HG_SEARCH_H

#include "hg_util.h"

/* One page to index. Every string is borrowed for the duration of the call
 * and may be NULL (= empty). */
typedef struct {
  const char *url;         /* relative to the site root: "orders/track/index.html" */
  const char *title;
  const char *breadcrumb;  /* "Orders › Tracking" */
  const char *category;    /* top-level category title (results page filter) */
  const char *headings;    /* h2/h3 texts joined by '\n' */
  const char *keywords;    /* tags and keywords joined by '\n' */
  const char *description;
  const char *body;        /* plain text of the article */
  const char *const *tags;
  size_t ntags;
  bool promoted;
} hg_search_doc;

typedef struct {
  const char *lang;     /* "en", "th", "cs", "pt-BR"...: ICU locale of the
                           word breaker and the folder name */
  const char *out_root; /* files go to out_root/search/<lang>/ */
  /* search.synonyms: groups of equivalent words or phrases, each group a
   * NULL-terminated array of strings. May be NULL. */
  const char *const *const *synonyms;
  size_t nsynonyms;
  /* Tuning for benchmarks and tests; 0 means the default. */
  size_t shard_bytes; /* uncompressed size a term shard is closed at */
  size_t group_bytes; /* uncompressed size a document group aims at */
  size_t top_postings; /* scores kept per term (default max(1000, n/16)) */
  int threads;        /* tokenizer threads (default hg_default_threads()) */
  /* Snowball stemming is on wherever Snowball has a stemmer for lang
   * (resolved at build time: the index maps stems to its own terms); true
   * turns it off. */
  bool no_stemming;
  /* When set, every file goes through write(write_ctx, "search/<lang>/NAME",
   * ...) instead of being written under out_root (the build passes
   * hg_output_write, which tracks and reuses files). */
  bool (*write)(void *write_ctx, const char *rel, const char *data, size_t len,
                hg_error **err);
  void *write_ctx;
  /* May be NULL. Asked about every content-named file (all but
   * manifest.bin) before it is compressed, with its path
   * "search/<lang>/NAME": a name is a hash of the file's bytes, so true
   * ("a file of this name is in place from an earlier build") makes it
   * count as written, and it is neither compressed nor written. Called
   * from several threads at once, like write. */
  bool (*reuse)(void *write_ctx, const char *rel);
  /* The token cache (NULL: none), one file per language: what tokenizing
   * gave for each document of the last build with the same helpgen,
   * language and tokenizer. Documents whose fields are unchanged are not
   * tokenized again, with the same files as a build without it as the
   * result. After a successful build the file is replaced in one step by
   * one holding exactly this build's documents (the one before stays
   * beside it as <cache_path>.old, to be overwritten next time). A missing,
   * corrupt or foreign file means tokenizing everything; a failure to
   * write it is not an error (the next build tokenizes everything). */
  const char *cache_path;
} hg_search_opts;

/* Builds one language's index under out_root/search/<lang>/ (the folder is
 * created; files already there are left alone). Returns the manifest path
 * relative to out_root, "search/en/manifest.bin"; the caller
 * frees it. Returns NULL and sets err on an I/O or ICU failure, or when lang
 * is not a plain language tag. n may be 0 (an empty but valid index). */
char *hg_search_build(const hg_search_doc *docs, size_t n,
                      const hg_search_opts *opts, hg_error **err);

/* ---- tokenizer (used by hg_search_build; public for tests and tools) ----
 * Words come from ICU's word break iterator for the locale (only segments
 * with a word-like rule status: letters, numbers, kana, ideographs), split
 * further into runs of letters, marks, numbers, '_' and apostrophes (and '.'
 * between two digits) so that differing ICU builds agree, then are folded:
 * NFKD, combining marks U+0300-U+036F, Arabic harakat, tanween, superscript
 * alef and tatweel, Hebrew niqqud and cantillation removed (Thai and other
 * scripts' marks stay), lowercase (root locale), ø→o æ→ae ß→ss đ→d ł→l
 * ı→i ’→', Arabic أ إ آ ٱ→ا ى→ي ة→ه, NFC. The "exact" form is
 * lowercase+NFC without removing anything. Words of the scripts without
 * spaces are followed by their character bigrams (search_tokenize.c).
 * assets/search.js does the same with Intl.Segmenter; tests/js checks that
 * both agree on tests/js/fixtures/vectors-input.json (in Node and Chromium). */
#define HG_SEARCH_MAX_TERM 64 /* folded terms longer than this (bytes) are skipped */

typedef struct hg_search_tokenizer hg_search_tokenizer;

/* One word. term/exact are NUL-terminated and valid only during the
 * callback; exact is NULL when it equals term. start/end: byte offsets of
 * the word in the input. */
typedef struct {
  const char *term;
  size_t term_len;
  const char *exact;
  size_t exact_len;
  size_t start, end;
  bool bigram; /* two characters of words without spaces, term ends in
                  HG_SEARCH_BIGRAM_MARK (exact is NULL) */
} hg_search_token;

/* Ends every bigram term (no word holds it), so bigrams and words never
 * mix, and a bigram sorts next to the words that start like it. */
#define HG_SEARCH_BIGRAM_MARK '\x01'
/* Ends every stem key of the term shards (see src/search.c). */
#define HG_SEARCH_STEM_MARK '\x02'

typedef void (*hg_search_token_fn)(void *ctx, const hg_search_token *tok);

hg_search_tokenizer *hg_search_tokenizer_new(const char *lang, hg_error **err);
/* Calls fn for every word of text (UTF-8, len bytes, < 2 GiB). */
void hg_search_tokenize(hg_search_tokenizer *tk, const char *text, size_t len,
                        hg_search_token_fn fn, void *ctx);
/* Folds one word. Returns a new string (caller frees); *exact (if not NULL)
 * gets the new exact form, or NULL when it equals the folded one. */
char *hg_search_fold(hg_search_tokenizer *tk, const char *word, size_t len,
                     char **exact);
void hg_search_tokenizer_free(hg_search_tokenizer *tk);
/* hg_search_tokenize splits text at ASCII white space and words made of
 * ASCII only without ICU, with the result ICU's rules give; on (for tests)
 * sends everything through ICU instead. */
void hg_search_tokenizer_set_icu_only(hg_search_tokenizer *tk, bool on);

#endif
