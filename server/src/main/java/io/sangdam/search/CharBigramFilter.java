package io.sangdam.search;

import java.io.IOException;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.util.ArrayUtil;

/**
 * Each word as its overlapping pairs of characters at consecutive positions ({@code 카드를} as {@code 카드},
 * {@code 드를}); a word of one or two characters stays as it is. A phrase of a query's pairs then matches wherever the
 * query's text stands inside a word or across words (partial words, a noun with any particle), in every script.
 *
 * <p>Characters are code points (a pair may hold surrogate pairs). The word is copied into a buffer kept across
 * words and each pair is copied from it into the term: nothing is allocated per word or per pair, since every
 * message the server stores passes through here.
 */
final class CharBigramFilter extends TokenFilter {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);
  private char[] word = new char[32];
  private int wordLength;
  /** Where the next pair of the word being split starts, in chars; -1 when no word is being split. */
  private int next = -1;

  CharBigramFilter(TokenStream input) {
    super(input);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (next >= 0 && pairAt(next)) {
      position.setPositionIncrement(1);
      return true;
    }
    next = -1;
    if (!input.incrementToken()) {
      return false;
    }
    int length = term.length();
    if (Character.codePointCount(term.buffer(), 0, length) > 2) {
      word = ArrayUtil.grow(word, length);
      System.arraycopy(term.buffer(), 0, word, 0, length);
      wordLength = length;
      pairAt(0);
    }
    return true;
  }

  /** Puts the pair starting at char {@code at} into the term and moves {@link #next} on; false when no pair starts there. */
  private boolean pairAt(int at) {
    int second = at + Character.charCount(Character.codePointAt(word, at, wordLength));
    if (second >= wordLength) {
      return false;
    }
    int end = second + Character.charCount(Character.codePointAt(word, second, wordLength));
    term.copyBuffer(word, at, end - at);
    next = second;
    return true;
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    next = -1;
  }
}
