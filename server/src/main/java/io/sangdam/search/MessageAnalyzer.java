package io.sangdam.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * How message text is indexed and queried: Unicode words (UAX #29) in lower case, each as its pairs of characters
 * ({@link CharBigramFilter}). Character pairs rather than a Korean morphological analyser (Nori): a query matches
 * where its text stands, as the LIKE it replaces did, so partial words and nouns with any particle are found
 * ({@code 카드} in {@code 카드를}, {@code 분실} in {@code 분실신고}) and no dictionary decides what a word is;
 * {@code 분실신고} stays a phrase of its pairs, so it does not match {@code 분실} alone. Only masked text is analysed:
 * personal items are indexed whole, as keyed hashes ({@link KeyedItems}).
 */
final class MessageAnalyzer extends Analyzer {
  @Override
  protected TokenStreamComponents createComponents(String field) {
    StandardTokenizer words = new StandardTokenizer();
    return new TokenStreamComponents(words, new CharBigramFilter(new LowerCaseFilter(words)));
  }
}
