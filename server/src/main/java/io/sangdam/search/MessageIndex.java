package io.sangdam.search;

import io.sangdam.privacy.PiiMasking;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text of every message, on this node's disk, to find the conversations holding a text in milliseconds. One
 * document per message: its tenant, conversation and the conversation's start (for order and dates), the masked text
 * (what every reader sees), and, for a message with personal data only, the unmasked text as keyed hashes of its
 * character pairs, which only a reader who may unmask searches. Nothing is stored that could be read back: text is
 * indexed, never kept. Where the reading of the database stands is committed with the index, so a restart reads on.
 * Blocks; one writer (the {@link MessageIndexer}), many readers.
 */
public final class MessageIndex implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageIndex.class);
  /**
   * Raised when what a document holds or how the index is sorted changes: an index of another format is rebuilt at
   * start. 2: sorted by {@link #NEWEST_FIRST}.
   */
  private static final String FORMAT = "2";
  private static final String MASKED = "masked";
  /**
   * The page order, on the doc values every message holds: its conversation's start, then its id. The index is
   * sorted so, so a search reads each segment's newest matches first and stops once it holds enough.
   */
  private static final Sort NEWEST_FIRST = new Sort(new SortField("created", SortField.Type.LONG, true),
      new SortField("conversation", SortField.Type.LONG, true));
  /**
   * {@link #NEWEST_FIRST} on the messages themselves: messages added in this order make a segment Lucene finds sorted
   * when it flushes, so it writes their postings as they are instead of sorting each term's.
   */
  static final Comparator<MessageFeed.Message> ORDER = Comparator
      .comparingLong((MessageFeed.Message m) -> m.conversationCreatedAt().toEpochMilli()).reversed()
      .thenComparing(Comparator.comparingLong(MessageFeed.Message::conversationId).reversed())
      .thenComparingLong(MessageFeed.Message::id);
  /** The most messages one pass of {@link #find} sorts; a longer call takes several passes. */
  private static final int MAX_MESSAGES = 20_000;

  /** A conversation holding the text, and its start. */
  public record Hit(long conversationId, Instant createdAt) {}

  /** How far the index has read: message ids up to {@code messages} and erasures up to {@code erasures}. */
  public record Position(long messages, long highestMessage, long erasures) {}

  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final MessageAnalyzer analyzer;
  private final String keyProbe;
  private final Position opened;

  /**
   * Opens the index under {@code dir}, made if missing. {@code keyed} hashes the pairs of unmasked text; {@code
   * keyProbe} names its key: an index made under another key (or of another format) is emptied and rebuilt, as its
   * hashes would no longer be found.
   */
  public MessageIndex(Path dir, UnaryOperator<String> keyed, String keyProbe) {
    this.analyzer = new MessageAnalyzer(keyed);
    this.keyProbe = keyProbe;
    try {
      directory = FSDirectory.open(dir);
      Map<String, String> data = committed();
      boolean current = !data.isEmpty() && FORMAT.equals(data.get("format")) && keyProbe.equals(data.get("key"));
      if (!current && !data.isEmpty()) {
        log.warn("search index at {} was made under another key or format: rebuilding it", dir);
      }
      // An index of another format may be sorted otherwise, which Lucene refuses to append to: it is replaced.
      writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setRAMBufferSizeMB(64)
          .setIndexSort(NEWEST_FIRST)
          .setOpenMode(current ? IndexWriterConfig.OpenMode.APPEND : IndexWriterConfig.OpenMode.CREATE));
      opened = current ? new Position(Long.parseLong(data.get("messages")), Long.parseLong(data.get("highestMessage")),
          Long.parseLong(data.get("erasures"))) : new Position(0, 0, 0);
      searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index at " + dir + ": " + e.getMessage(), e);
    }
  }

  private Map<String, String> committed() throws IOException {
    if (!org.apache.lucene.index.DirectoryReader.indexExists(directory)) {
      return Map.of();
    }
    return SegmentInfos.readLatestCommit(directory).getUserData();
  }

  /** Where the last commit had read to (all zero for a new or rebuilt index). */
  public Position opened() {
    return opened;
  }

  /**
   * Indexes {@code messages}; {@code mayBeThere}: some may be indexed already (read again after a restart or a gap),
   * so they replace their document instead of adding a second.
   */
  public void add(List<MessageFeed.Message> messages, boolean mayBeThere) {
    try {
      for (MessageFeed.Message m : messages) {
        Document d = new Document();
        d.add(new StringField("message", Long.toString(m.id()), Field.Store.NO));
        d.add(new StringField("conversation", Long.toString(m.conversationId()), Field.Store.NO));
        d.add(new NumericDocValuesField("conversation", m.conversationId()));
        d.add(new StringField("tenant", Long.toString(m.tenantId()), Field.Store.NO));
        long created = m.conversationCreatedAt().toEpochMilli();
        d.add(new LongPoint("created", created));
        d.add(new NumericDocValuesField("created", created));
        String masked = PiiMasking.mask(m.body());
        d.add(new TextField(MASKED, masked, Field.Store.NO));
        if (!masked.equals(m.body())) {
          d.add(new TextField(MessageAnalyzer.KEYED, m.body(), Field.Store.NO));
        }
        if (mayBeThere) {
          writer.updateDocument(new Term("message", Long.toString(m.id())), d);
        } else {
          writer.addDocument(d);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes every message of these conversations. */
  public void erase(List<Long> conversationIds) {
    if (conversationIds.isEmpty()) {
      return;
    }
    try {
      writer.deleteDocuments(conversationIds.stream().map(id -> new Term("conversation", Long.toString(id)))
          .toArray(Term[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes what was added and erased visible to searches. */
  public void refresh() {
    try {
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes it durable, with where the reading stands. */
  public void commit(Position at) {
    try {
      writer.setLiveCommitData(Map.of("format", FORMAT, "key", keyProbe, "messages", Long.toString(at.messages()),
          "highestMessage", Long.toString(at.highestMessage()), "erasures", Long.toString(at.erasures())).entrySet());
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * At most {@code count} conversations of {@code tenantId} started in [{@code from}, {@code to}) (null: open) with a
   * message holding {@code text}, newest first (ties by id, descending), those after {@code after} (null: from the
   * newest). {@code unmasked}: the text may match personal data too (for a reader who may unmask); otherwise only the
   * masked text is searched. A text with no letters or digits matches nothing.
   *
   * <p>The index is sorted in this order, so Lucene reads each segment's matching messages newest first and stops
   * once it holds enough, without reading the older ones. A conversation's messages share both keys, so they come
   * together and are taken once.
   */
  public List<Hit> find(long tenantId, String text, boolean unmasked, Instant from, Instant to, Hit after, int count) {
    Query masked = phrase(MASKED, text);
    if (masked == null || count <= 0) {
      return List.of();
    }
    BooleanQuery.Builder matching = new BooleanQuery.Builder().add(masked, Occur.SHOULD);
    if (unmasked) {
      matching.add(phrase(MessageAnalyzer.KEYED, text), Occur.SHOULD);
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder()
        .add(new TermQuery(new Term("tenant", Long.toString(tenantId))), Occur.FILTER)
        .add(matching.build(), Occur.MUST);
    if (from != null || to != null) {
      query.add(LongPoint.newRangeQuery("created", from == null ? Long.MIN_VALUE : from.toEpochMilli(),
          to == null ? Long.MAX_VALUE : to.toEpochMilli() - 1), Occur.FILTER);
    }
    Query built = query.build();
    List<Hit> hits = new ArrayList<>(Math.min(count, 1_000));
    FieldDoc start = after == null ? null : past(after);
    // Most conversations hold the text once or twice: twice as many messages as conversations fills most passes.
    int messages = (int) Math.min(2L * count, MAX_MESSAGES);
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        while (hits.size() < count) {
          TopFieldDocs top = searcher.search(built, new TopFieldCollectorManager(NEWEST_FIRST, messages, start,
              messages));
          for (ScoreDoc d : top.scoreDocs) {
            Object[] keys = ((FieldDoc) d).fields;
            long conversation = (Long) keys[1];
            if (hits.isEmpty() || hits.get(hits.size() - 1).conversationId() != conversation) {
              if (hits.size() == count) {
                return hits;
              }
              hits.add(new Hit(conversation, Instant.ofEpochMilli((Long) keys[0])));
            }
          }
          if (top.scoreDocs.length < messages) {
            break;
          }
          start = past(hits.get(hits.size() - 1));
        }
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hits;
  }

  /**
   * Where a pass goes on after {@code hit}: past every message of its conversation, whatever their documents (on equal
   * keys Lucene goes on after the document named, and none is above this one).
   */
  private static FieldDoc past(Hit hit) {
    return new FieldDoc(Integer.MAX_VALUE, Float.NaN, new Object[] {hit.createdAt().toEpochMilli(),
        hit.conversationId()});
  }

  /**
   * The query's pairs as a phrase on {@code field}; null when it has none. One character alone is found at the start
   * of a pair or at its end (a word's last character) in the masked text; in the keyed field only as a word of its
   * own (a hash has no parts).
   */
  private Query phrase(String field, String text) {
    List<String> terms = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
      stream.reset();
      int position = -1;
      while (stream.incrementToken()) {
        position += increment.getPositionIncrement();
        terms.add(term.toString());
        positions.add(position);
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (terms.isEmpty()) {
      return null;
    }
    if (terms.size() == 1) {
      String only = terms.get(0);
      if (field.equals(MASKED) && only.codePointCount(0, only.length()) == 1) {
        return new BooleanQuery.Builder().add(new PrefixQuery(new Term(field, only)), Occur.SHOULD)
            .add(new WildcardQuery(new Term(field, "?" + only)), Occur.SHOULD).build();
      }
      return new TermQuery(new Term(field, only));
    }
    PhraseQuery.Builder phrase = new PhraseQuery.Builder();
    for (int i = 0; i < terms.size(); i++) {
      phrase.add(new Term(field, terms.get(i)), positions.get(i));
    }
    return phrase.build();
  }

  /** The index's size on disk, in bytes; a file a merge removes meanwhile counts for nothing. */
  public long bytesOnDisk() {
    long bytes = 0;
    try {
      for (String file : directory.listAll()) {
        try {
          bytes += directory.fileLength(file);
        } catch (NoSuchFileException | FileNotFoundException e) {
          // Merged away since the listing.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes;
  }

  @Override
  public void close() {
    try {
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
