package io.sangdam.search;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Each word as its overlapping pairs of characters at consecutive positions ({@code 카드를} as {@code 카드},
 * {@code 드를}); a word of one or two characters stays as it is. A phrase of a query's pairs then matches wherever the
 * query's text stands inside a word or across words (partial words, a noun with any particle), in every script.
 */
final class CharBigramFilter extends TokenFilter {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);
  private int[] word;
  private int next;

  CharBigramFilter(TokenStream input) {
    super(input);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (word != null && next + 1 < word.length) {
      pair(next++);
      position.setPositionIncrement(1);
      return true;
    }
    word = null;
    if (!input.incrementToken()) {
      return false;
    }
    int[] codePoints = term.toString().codePoints().toArray();
    if (codePoints.length > 2) {
      word = codePoints;
      pair(0);
      next = 1;
    }
    return true;
  }

  private void pair(int at) {
    term.setEmpty();
    term.append(new String(word, at, 2));
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    word = null;
  }
}
