package io.sangdam.search;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * How message text is indexed and queried: Unicode words (UAX #29) in lower case, each as its pairs of characters
 * ({@link CharBigramFilter}). Character pairs rather than a Korean morphological analyser (Nori): a query matches
 * where its text stands, as the LIKE it replaces did, so partial words and nouns with any particle are found
 * ({@code 카드} in {@code 카드를}, {@code 분실} in {@code 분실신고}) and no dictionary decides what a word is;
 * {@code 분실신고} stays a phrase of its pairs, so it does not match {@code 분실} alone.
 *
 * <p>The {@link #KEYED} field holds the unmasked text of messages with personal data: each pair is replaced by
 * {@code keyed} (a keyed hash), so the index on disk holds no personal data in clear.
 */
final class MessageAnalyzer extends Analyzer {
  static final String KEYED = "unmasked";

  private final UnaryOperator<String> keyed;

  MessageAnalyzer(UnaryOperator<String> keyed) {
    super(PER_FIELD_REUSE_STRATEGY);
    this.keyed = requireNonNull(keyed, "keyed");
  }

  @Override
  protected TokenStreamComponents createComponents(String field) {
    StandardTokenizer words = new StandardTokenizer();
    TokenStream pairs = new CharBigramFilter(new LowerCaseFilter(words));
    return new TokenStreamComponents(words, field.equals(KEYED) ? new KeyedTerms(pairs, keyed) : pairs);
  }

  /** Each term replaced by its keyed hash. */
  private static final class KeyedTerms extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final UnaryOperator<String> keyed;

    KeyedTerms(TokenStream input, UnaryOperator<String> keyed) {
      super(input);
      this.keyed = keyed;
    }

    @Override
    public boolean incrementToken() throws IOException {
      if (!input.incrementToken()) {
        return false;
      }
      String hashed = keyed.apply(term.toString());
      term.setEmpty().append(hashed);
      return true;
    }
  }
}
