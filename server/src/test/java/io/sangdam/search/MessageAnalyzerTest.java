package io.sangdam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.junit.jupiter.api.Test;

/** What {@link MessageAnalyzer} makes of text: each word's character pairs at consecutive positions. */
class MessageAnalyzerTest {
  private final MessageAnalyzer analyzer = new MessageAnalyzer();

  @Test
  void aWordBecomesItsOverlappingPairsOneAfterAnother() throws IOException {
    assertEquals(List.of("카드+1", "드를+1"), tokens("카드를"));
    assertEquals(List.of("분실+1", "실신+1", "신고+1", "카드+1"), tokens("분실신고 카드"));
  }

  @Test
  void wordsOfOneOrTwoCharactersStayWhole() throws IOException {
    assertEquals(List.of("네+1", "ok+1", "카드+1", "ab+1"), tokens("네 OK 카드 ab"));
  }

  @Test
  void charactersAreCodePointsNotChars() throws IOException {
    // Gothic letters lie outside the Basic Multilingual Plane, two chars each: a pair never splits one.
    assertEquals(List.of("𐌰𐌱+1", "𐌱𐌲+1"), tokens("𐌰𐌱𐌲"));
    assertEquals(List.of("a𐌰+1", "𐌰b+1"), tokens("a𐌰b"));
    assertEquals(List.of("𐌰𐌱+1"), tokens("𐌰𐌱"));
  }

  @Test
  void aShortWordAfterALongOneIsNotMixedWithIt() throws IOException {
    String longWord = "가나다라마바사아자차카타파하".repeat(5);
    List<String> got = tokens(longWord + " 하나둘 ab");
    assertEquals(longWord.length() - 1 + 2 + 1, got.size());
    assertEquals(longWord.substring(68, 70) + "+1", got.get(68));
    assertEquals(List.of("하나+1", "나둘+1", "ab+1"), got.subList(got.size() - 3, got.size()));
  }

  @Test
  void theStreamCanBeUsedAgain() throws IOException {
    assertEquals(List.of("카드+1", "드를+1"), tokens("카드를"));
    assertEquals(List.of("분실+1", "실신+1", "신고+1"), tokens("분실신고"));
  }

  /** Each token as its text and position increment. */
  private List<String> tokens(String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute position = stream.addAttribute(PositionIncrementAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        out.add(term + "+" + position.getPositionIncrement());
      }
      stream.end();
    }
    return out;
  }
}
