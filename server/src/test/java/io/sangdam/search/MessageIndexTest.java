package io.sangdam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.privacy.PiiMasking;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyser and queries on a real index in a temporary directory: what a text finds, and what it must not. */
class MessageIndexTest {
  /** A stand-in for the keyed hash that is plainly not the item (the real one needs the key file). */
  private static final UnaryOperator<String> KEYED = item -> "h" + Integer.toHexString(item.hashCode() * 31 + 7);
  private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir
  Path dir;
  private MessageIndex index;
  private long nextId = 1;

  @BeforeEach
  void open() {
    index = new MessageIndex(dir, KEYED, "probe-1", "db-1");
  }

  @AfterEach
  void close() {
    index.close();
  }

  /** Conversation {@code conversation} of tenant 1 and center 10, started {@code conversation} hours after START. */
  private void say(long conversation, String text) {
    say(conversation, 10, text);
  }

  private void say(long conversation, long center, String text) {
    index.add(List.of(new MessageFeed.Message(nextId++, conversation, 1, center,
        START.plusSeconds(3600 * conversation), text)), false);
    index.refresh();
  }

  private List<Long> find(String text) {
    return find(text, false);
  }

  private List<Long> find(String text, boolean unmasked) {
    return index.find(1, null, text, unmasked, null, null, null, 100).stream().map(MessageIndex.Hit::conversationId)
        .toList();
  }

  @Test
  void aNounIsFoundWithAnyParticleAndAParticleNarrows() {
    say(1, "카드를 분실했어요");
    say(2, "카드가 안 돼요");
    say(3, "신용카드 재발급");
    say(4, "카드");
    say(5, "카페에 두고 왔어요");
    assertEquals(List.of(4L, 3L, 2L, 1L), find("카드"), "newest first, every form, not 카페");
    assertEquals(List.of(1L), find("카드를"));
    assertEquals(List.of(2L), find("카드가"));
  }

  @Test
  void aPartOfAWordIsFoundButAWholeWordNeedsAllOfIt() {
    say(1, "분실신고 접수했습니다");
    say(2, "분실 신고는 앱에서 하세요");
    say(3, "분실했어요");
    say(4, "신고분실");
    assertEquals(List.of(4L, 3L, 2L, 1L), find("분실"));
    assertEquals(List.of(1L), find("분실신고"), "its pairs in order, not 분실 and 신고 apart");
    assertEquals(List.of(2L), find("분실 신고"), "words in the query's order, next to each other");
    assertEquals(List.of(1L), find("실신"), "any part of a word");
  }

  @Test
  void latinAndDigitsMatchInPartAndWhateverTheCase() {
    say(1, "Refund of order A-1234 please");
    say(2, "환불 REFUNDED 2026년 1월");
    say(3, "nothing to see");
    assertEquals(List.of(2L, 1L), find("refund"));
    assertEquals(List.of(2L, 1L), find("FUND"));
    assertEquals(List.of(1L), find("1234"));
    assertEquals(List.of(1L), find("a-1234"));
    assertEquals(List.of(2L), find("2026년"), "digits and Hangul in one word");
    assertEquals(List.of(2L), find("환불 refunded"), "mixed scripts");
    assertEquals(List.of(), find("nothing-like-this"));
    assertEquals(List.of(), find("%%"), "no letters or digits: nothing");
  }

  /** A word of one character is a term of its own: it never walks the pairs it could start or end. */
  @Test
  void aOneCharacterWordIsFoundAsAWordOnly() {
    say(1, "카드");
    say(2, "스카");
    say(3, "나 여기");
    say(4, "드라마");
    assertEquals(List.of(), find("카"));
    assertEquals(List.of(3L), find("나"));
  }

  /**
   * A personal item is found only whole, however it is written, by a reader who may unmask; no part of it, and the
   * index holds it as one keyed hash without a position (nothing to line up with the masked text's positions).
   */
  @Test
  void personalItemsAreFoundWholeOnlyByThoseWhoMayUnmaskAndKeptAsOneHashWithoutPosition() throws IOException {
    say(1, "제 번호는 010-1234-5678 이에요");
    say(2, "카드 4111-1111-1111-1111 분실");
    say(3, "메일은 Hong.GilDong@Example.com 입니다");
    assertEquals(List.of(1L), find("010-1234-5678", true));
    assertEquals(List.of(1L), find("01012345678", true), "however it is written");
    assertEquals(List.of(1L), find("+82 10 1234 5678", true));
    assertEquals(List.of(1L), find("번호는 010-1234-5678", true), "with the words around it");
    assertEquals(List.of(), find("번호는 010-9999-5678", true), "another number masked alike");
    assertEquals(List.of(), find("카드 010-1234-5678", true), "the words with it too");
    assertEquals(List.of(), find("1234-5678", true), "a part of an item finds nothing, even for an unmasker");
    assertEquals(List.of(), find("010-1234-5678"), "nor the whole one for a reader who may not unmask");
    assertEquals(List.of(1L), find("5678"), "what the mask leaves is found by anyone");
    assertEquals(List.of(2L), find("4111-1111-1111-1111", true));
    assertEquals(List.of(), find("4111-1111-1111-1111"));
    assertEquals(List.of(2L), find("분실", true), "the masked text answers a reader who may unmask too");
    assertEquals(List.of(3L), find("hong.gildong@example.com", true), "an e-mail address in any case");

    index.commit(new MessageIndex.Position(3, 3, 0));
    List<String> kept = terms("item");
    assertEquals(3, kept.size(), "one term an item: " + kept);
    assertTrue(kept.stream().allMatch(t -> t.startsWith("h")), "only keyed hashes: " + kept);
    assertEquals(List.of(), terms("unmasked"), "no keyed character pairs");
    try (FSDirectory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        FieldInfo item = leaf.reader().getFieldInfos().fieldInfo("item");
        assertEquals(IndexOptions.DOCS, item.getIndexOptions(), "no positions, no frequencies");
      }
    }
    assertTrue(terms("masked").stream().noneMatch(t -> t.equals("23") || t.equals("34")),
        "no hidden digits in the masked text");
  }

  @Test
  void centersNarrowInTheIndexAndAMoveIsSeen() {
    say(1, 10, "환불 문의");
    say(2, 20, "환불 요청");
    say(3, 30, "환불");
    assertEquals(List.of(3L, 1L), index.find(1, Set.of(10L, 30L), "환불", false, null, null, null, 100).stream()
        .map(MessageIndex.Hit::conversationId).toList());
    assertEquals(List.of(), index.find(1, Set.of(40L), "환불", false, null, null, null, 100));
    assertEquals(List.of(2L), index.movedAmong(Map.of(1L, 10L, 2L, 30L)), "2 is in center 30 now");
  }

  @Test
  void aMessageReadAgainReplacesItsDocumentAndOnlyIt() {
    say(1, 10, "환불 문의");
    say(2, 10, "환불 요청");
    MessageFeed.Message moved = new MessageFeed.Message(1, 1, 1, 20, START.plusSeconds(3600), "환불 문의");
    MessageFeed.Message unseen = new MessageFeed.Message(nextId++, 3, 1, 10, START.plusSeconds(3 * 3600), "환불");
    index.add(List.of(moved, moved, unseen), true);
    index.refresh();
    assertEquals(List.of(), index.movedAmong(Map.of(1L, 20L)), "the document in center 10 is gone");
    assertEquals(List.of(1L), index.find(1, Set.of(20L), "환불", false, null, null, null, 100).stream()
        .map(MessageIndex.Hit::conversationId).toList(), "the one just added stays");
    assertEquals(List.of(3L, 2L), index.find(1, Set.of(10L), "환불", false, null, null, null, 100).stream()
        .map(MessageIndex.Hit::conversationId).toList(), "the others are untouched");
  }

  @Test
  void tenantsDatesAndErasureNarrowWhatIsFound() {
    say(1, "환불 문의");
    say(2, "환불 요청");
    index.add(List.of(new MessageFeed.Message(nextId++, 3, 2, 10, START, "환불")), false);
    index.refresh();
    assertEquals(List.of(2L, 1L), find("환불"), "tenant 2's conversation is not tenant 1's");
    assertEquals(List.of(2L), index.find(1, null, "환불", false, START.plusSeconds(7200), START.plusSeconds(7201), null,
        100).stream().map(MessageIndex.Hit::conversationId).toList());
    index.erase(List.of(2L));
    index.refresh();
    assertEquals(List.of(1L), find("환불"));
  }

  /**
   * 300 conversations hold the word, many of them more than once, in several segments, many started at the same
   * time: taken a few at a time (several passes of sorted messages each), the pages give each conversation once, in
   * the order of their start and id, newest first, as one long call does.
   */
  @Test
  void manyConversationsComeOnceEachNewestFirstPageAfterPage() {
    List<MessageFeed.Message> messages = new ArrayList<>();
    List<MessageIndex.Hit> expected = new ArrayList<>();
    for (long c = 1; c <= 400; c++) {
      Instant started = START.plusSeconds(3600 * (c % 37));
      if (c % 4 != 0) {
        expected.add(new MessageIndex.Hit(c, started));
      }
      for (int m = 0; m < 1 + c % 4; m++) {
        messages.add(new MessageFeed.Message(nextId++, c, 1, 10, started, c % 4 == 0 ? "카드 문의" : "환불 요청 " + m));
      }
    }
    expected.sort(Comparator.comparing(MessageIndex.Hit::createdAt).thenComparingLong(MessageIndex.Hit::conversationId)
        .reversed());
    Collections.shuffle(messages, new Random(20));
    for (int from = 0; from < messages.size(); from += 97) {
      index.add(messages.subList(from, Math.min(messages.size(), from + 97)), false);
      index.refresh();
    }
    assertEquals(expected, index.find(1, null, "환불", false, null, null, null, 1_000));
    List<MessageIndex.Hit> paged = new ArrayList<>();
    MessageIndex.Hit after = null;
    for (int page = 0; page < 100; page++) {
      List<MessageIndex.Hit> hits = index.find(1, null, "환불", false, null, null, after, 7);
      paged.addAll(hits);
      if (hits.size() < 7) {
        break;
      }
      after = hits.get(hits.size() - 1);
    }
    assertEquals(expected, paged);
  }

  @Test
  void aRestartReadsOnAndAnotherKeyMaskingRulesOrDatabaseRebuilds() {
    say(1, "환불 문의");
    index.commit(new MessageIndex.Position(1, 1, 0));
    index.close();

    index = new MessageIndex(dir, KEYED, "probe-1", "db-1");
    assertEquals(new MessageIndex.Position(1, 1, 0), index.opened(), "a restart reads on from where it was");
    assertEquals(List.of(1L), find("환불"));
    index.close();

    index = new MessageIndex(dir, KEYED, "probe-1", "db-1", PiiMasking.RULES_VERSION + 1);
    assertEquals(new MessageIndex.Position(0, 0, 0), index.opened(), "other masking rules: read everything again");
    assertEquals(List.of(), find("환불"));
    say(1, "환불 문의");
    index.commit(new MessageIndex.Position(1, 1, 0));
    index.close();

    index = new MessageIndex(dir, KEYED, "probe-1", "db-1");
    assertEquals(new MessageIndex.Position(0, 0, 0), index.opened(), "and back: again");
    say(1, "환불 문의");
    index.commit(new MessageIndex.Position(1, 1, 0));
    index.close();

    index = new MessageIndex(dir, KEYED, "probe-1", "db-2");
    assertEquals(new MessageIndex.Position(0, 0, 0), index.opened(), "another database: again");
    say(1, "환불 문의");
    index.commit(new MessageIndex.Position(1, 1, 0));
    index.close();

    index = new MessageIndex(dir, KEYED, "probe-2", "db-2");
    assertEquals(new MessageIndex.Position(0, 0, 0), index.opened(), "another key: read everything again");
    assertEquals(List.of(), find("환불"));
  }

  /** Erased messages are not found at once, and their words leave the files once their segments are rewritten. */
  @Test
  void erasedTextLeavesTheFilesWhenItsSegmentsAreRewritten() throws IOException {
    // One segment holding ten: one erased among them is too few for merges to rewrite it on their own.
    List<MessageFeed.Message> ten = new ArrayList<>(List.of(new MessageFeed.Message(nextId++, 1, 1, 10, START,
        "해지 요청합니다")));
    for (long c = 100; c < 109; c++) {
      ten.add(new MessageFeed.Message(nextId++, c, 1, 10, START, "카드 분실"));
    }
    index.add(ten, false);
    index.commit(new MessageIndex.Position(10, 10, 0));
    say(3, "환불 문의");
    index.commit(new MessageIndex.Position(11, 11, 0));
    index.erase(List.of(1L));
    index.commit(new MessageIndex.Position(11, 11, 1));
    index.refresh();
    assertEquals(List.of(), find("해지"));
    assertTrue(terms("masked").contains("해지"), "still in the files: " + terms("masked"));

    index.mergeErased();
    index.close();
    index = new MessageIndex(dir, KEYED, "probe-1", "db-1");
    assertFalse(terms("masked").contains("해지"), "gone from the files: " + terms("masked"));
    assertTrue(terms("masked").contains("환불"));
  }

  /** An index of the first format (not sorted, which Lucene would refuse to append to sorted) is replaced. */
  @Test
  void anIndexOfAnEarlierFormatIsRebuilt() throws IOException {
    index.close();
    try (FSDirectory old = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(old, new IndexWriterConfig(new MessageAnalyzer())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE))) {
      Document d = new Document();
      d.add(new TextField("masked", "환불 문의", Field.Store.NO));
      d.add(new NumericDocValuesField("created", 1));
      writer.addDocument(d);
      writer.setLiveCommitData(Map.of("format", "1", "key", "probe-1", "messages", "9", "highestMessage", "9",
          "erasures", "0").entrySet());
      writer.commit();
    }
    index = new MessageIndex(dir, KEYED, "probe-1", "db-1");
    assertEquals(new MessageIndex.Position(0, 0, 0), index.opened(), "read everything again");
    assertEquals(List.of(), find("환불"));
    say(1, "환불 요청");
    assertEquals(List.of(1L), find("환불"));
  }

  /**
   * Messages of conversations started in any order, sorted by {@link MessageIndex#ORDER} and added at once, stand in
   * the committed segment just as given: the order the indexer adds in is the index's own, so Lucene finds a segment
   * sorted at its flush and has nothing to sort.
   */
  @Test
  void messagesInTheIndexOrderStayAsGiven() throws IOException {
    List<MessageFeed.Message> messages = new ArrayList<>();
    Random random = new Random(20);
    for (int i = 0; i < 500; i++) {
      long conversation = 1 + random.nextInt(60);
      messages.add(new MessageFeed.Message(nextId++, conversation, 1, 10, START.plusSeconds(3600 * (conversation % 7)),
          "환불 요청 " + i));
    }
    messages.sort(MessageIndex.ORDER);
    index.add(messages, false);
    index.commit(new MessageIndex.Position(nextId - 1, nextId - 1, 0));

    List<long[]> stored = new ArrayList<>();
    try (FSDirectory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
      assertEquals(1, reader.leaves().size());
      var leaf = reader.leaves().get(0).reader();
      NumericDocValues created = leaf.getNumericDocValues("created");
      NumericDocValues conversation = leaf.getNumericDocValues("conversation");
      for (int doc = 0; doc < leaf.maxDoc(); doc++) {
        assertTrue(created.advanceExact(doc) && conversation.advanceExact(doc));
        stored.add(new long[] {created.longValue(), conversation.longValue()});
      }
    }
    assertEquals(messages.stream().map(m -> m.conversationCreatedAt().toEpochMilli() + "/" + m.conversationId())
        .toList(), stored.stream().map(k -> k[0] + "/" + k[1]).toList());
  }

  private List<String> terms(String field) throws IOException {
    List<String> out = new ArrayList<>();
    try (FSDirectory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        Terms terms = leaf.reader().terms(field);
        if (terms != null) {
          TermsEnum e = terms.iterator();
          for (BytesRef t = e.next(); t != null; t = e.next()) {
            out.add(t.utf8ToString().toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return out;
  }
}
