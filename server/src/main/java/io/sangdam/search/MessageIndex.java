package io.sangdam.search;

import io.sangdam.privacy.PiiItem;
import io.sangdam.privacy.PiiMasking;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text of every message, on this node's disk, to find the conversations holding a text in milliseconds. One
 * document per message: its tenant, its conversation's center (when it was read) and start (for order and dates), the
 * masked text (what every reader sees) and, for a message with personal data only, each personal item whole (as
 * {@link PiiMasking#find} finds them) as one keyed hash without a position, which only a reader who may unmask
 * searches, and only as a whole item. Nothing is stored that could be read back: text is indexed, never kept. Where
 * the reading of the database stands is committed with the index, with what it was made from (its format, the masking
 * rules, the key and the database), so a restart reads on, and an index made otherwise is rebuilt. Blocks; one writer
 * (the {@link MessageIndexer}), many readers, who never wait for the writer.
 */
public final class MessageIndex implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageIndex.class);
  /**
   * Raised when what a document holds or how the index is sorted changes: an index of another format is rebuilt at
   * start. 2: sorted by {@link #NEWEST_FIRST}. 3: personal items whole as keyed hashes without positions (no longer
   * keyed character pairs), and the conversation's center.
   */
  private static final String FORMAT = "3";
  private static final String MASKED = "masked";
  private static final String ITEM = "item";
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
  private final MessageAnalyzer analyzer = new MessageAnalyzer();
  private final UnaryOperator<String> keyed;
  /** What the index is made from, committed with it: {@link #FORMAT} with the masking rules, key and database. */
  private final Map<String, String> madeFrom;
  private final Position opened;

  /**
   * Opens the index under {@code dir}, made if missing. {@code keyed} hashes personal items; {@code keyProbe} names
   * its key; {@code database} names the database it reads (see {@link MessageFeed#databaseId}). An index made under
   * another key, of another format or masking rules, or from another database, is emptied and rebuilt: its hashes
   * would no longer be found, its masked text may show what is hidden now, its positions are another table's.
   */
  public MessageIndex(Path dir, UnaryOperator<String> keyed, String keyProbe, String database) {
    this(dir, keyed, keyProbe, database, PiiMasking.RULES_VERSION);
  }

  MessageIndex(Path dir, UnaryOperator<String> keyed, String keyProbe, String database, int maskingRules) {
    this(open(dir), keyed, keyProbe, database, maskingRules);
  }

  /** On {@code directory}, which it closes with itself. */
  MessageIndex(Directory directory, UnaryOperator<String> keyed, String keyProbe, String database,
      int maskingRules) {
    this.directory = directory;
    this.keyed = keyed;
    this.madeFrom = Map.of("format", FORMAT + "." + maskingRules, "key", keyProbe, "database", database);
    try {
      Map<String, String> data = committed();
      boolean current = !data.isEmpty() && madeFrom.entrySet().stream()
          .allMatch(e -> e.getValue().equals(data.get(e.getKey())));
      if (!current && !data.isEmpty() && !data.containsKey("unreadable")) {
        log.warn("search index in {} was made under another key, format, masking rules or database: rebuilding it",
            directory);
      }
      // Segments with deletions take part in merges sooner, so erased postings leave the files sooner; a forced
      // merge of deletions (mergeErased) rewrites every segment holding one.
      TieredMergePolicy merges = new TieredMergePolicy();
      merges.setDeletesPctAllowed(20);
      merges.setForceMergeDeletesPctAllowed(0);
      // An index of another format may be sorted otherwise, which Lucene refuses to append to: it is replaced.
      writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setRAMBufferSizeMB(64)
          .setIndexSort(NEWEST_FIRST).setMergePolicy(merges)
          .setOpenMode(current ? IndexWriterConfig.OpenMode.APPEND : IndexWriterConfig.OpenMode.CREATE));
      opened = current ? new Position(Long.parseLong(data.get("messages")), Long.parseLong(data.get("highestMessage")),
          Long.parseLong(data.get("erasures"))) : new Position(0, 0, 0);
      searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index in " + directory + ": " + e.getMessage(), e);
    }
  }

  private static Directory open(Path dir) {
    try {
      return FSDirectory.open(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The last commit's data; a commit that cannot be read (a file cut short, say) gives none: rebuilt. */
  private Map<String, String> committed() throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      return Map.of();
    }
    try {
      return SegmentInfos.readLatestCommit(directory).getUserData();
    } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
      log.warn("search index in {} cannot be read ({}): rebuilding it", directory, e.toString());
      return Map.of("unreadable", "");
    }
  }

  /** Where the last commit had read to (all zero for a new or rebuilt index). */
  public Position opened() {
    return opened;
  }

  /**
   * Indexes {@code messages}; {@code mayBeThere}: some may be indexed already (read again after a restart, a gap or
   * a move to another center), so they replace their document instead of adding a second.
   */
  public void add(List<MessageFeed.Message> messages, boolean mayBeThere) {
    try {
      for (MessageFeed.Message m : messages) {
        Document d = new Document();
        d.add(new StringField("message", Long.toString(m.id()), Field.Store.NO));
        d.add(new StringField("conversation", Long.toString(m.conversationId()), Field.Store.NO));
        d.add(new NumericDocValuesField("conversation", m.conversationId()));
        d.add(new StringField("tenant", Long.toString(m.tenantId()), Field.Store.NO));
        d.add(new StringField("center", Long.toString(m.centerId()), Field.Store.NO));
        long created = m.conversationCreatedAt().toEpochMilli();
        d.add(new LongPoint("created", created));
        d.add(new NumericDocValuesField("created", created));
        d.add(new TextField(MASKED, PiiMasking.mask(m.body()), Field.Store.NO));
        for (PiiItem item : PiiMasking.find(m.body())) {
          // A term alone: no position, no frequency, nothing to line up with the masked text's positions.
          d.add(new StringField(ITEM, keyed.apply(whole(item)), Field.Store.NO));
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

  /**
   * An item as it is hashed, however it was written: a number as its digits ({@code +82 10-1234-5678} as
   * {@code 01012345678}), an e-mail address in lower case.
   */
  static String whole(PiiItem item) {
    if (item.kind() == PiiItem.Kind.EMAIL) {
      return item.original().toLowerCase(Locale.ROOT);
    }
    String digits = item.original().replaceAll("[^0-9]", "");
    if (item.original().startsWith("+82")) {
      String national = digits.substring(2);
      return national.startsWith("0") ? national : "0" + national;
    }
    return digits;
  }

  /** Of {@code conversations} (conversation id to its center now), those some of whose messages hold another center. */
  public List<Long> movedAmong(Map<Long, Long> conversations) {
    List<Long> moved = new ArrayList<>();
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        for (Map.Entry<Long, Long> c : conversations.entrySet()) {
          Query elsewhere = new BooleanQuery.Builder()
              .add(new TermQuery(new Term("conversation", Long.toString(c.getKey()))), Occur.FILTER)
              .add(new TermQuery(new Term("center", Long.toString(c.getValue()))), Occur.MUST_NOT).build();
          if (searcher.count(elsewhere) > 0) {
            moved.add(c.getKey());
          }
        }
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return moved;
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

  /**
   * Starts rewriting every segment that holds erased messages, in the background: until then their words stay in
   * the files (not found, but there). The next commit after it ends keeps the rewritten segments.
   */
  public void mergeErased() {
    try {
      writer.forceMergeDeletes(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Empties the index, to read everything again from the start (committed at once). */
  public void clear() {
    try {
      writer.deleteAll();
      commit(new Position(0, 0, 0));
      refresh();
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

  /** Makes it durable, with where the reading stands and what the index is made from. */
  public void commit(Position at) {
    Map<String, String> data = new HashMap<>(madeFrom);
    data.put("messages", Long.toString(at.messages()));
    data.put("highestMessage", Long.toString(at.highestMessage()));
    data.put("erasures", Long.toString(at.erasures()));
    try {
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Why the index can no longer be written (a disk full or failing underneath it), null while it can: Lucene then
   * closes its writer for good, and the index must be opened again.
   */
  public Throwable failure() {
    return writer.getTragicException();
  }

  /**
   * At most {@code count} conversations of {@code tenantId} (in {@code centers}, null: any) started in
   * [{@code from}, {@code to}) (null: open) with a message holding {@code text}, newest first (ties by id,
   * descending), those after {@code after} (null: from the newest). {@code unmasked}: a personal item written whole
   * in the text also finds its messages (for a reader who may unmask); otherwise only the masked text is searched,
   * and a hidden part of an item finds nothing. A text with no letters or digits matches nothing.
   *
   * <p>The index is sorted in this order, so Lucene reads each segment's matching messages newest first and stops
   * once it holds enough, without reading the older ones. A conversation's messages share both keys, so they come
   * together and are taken once.
   */
  public List<Hit> find(long tenantId, Collection<Long> centers, String text, boolean unmasked, Instant from,
      Instant to, Hit after, int count) {
    Query matching = matching(text, unmasked);
    if (matching == null || count <= 0) {
      return List.of();
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder()
        .add(new TermQuery(new Term("tenant", Long.toString(tenantId))), Occur.FILTER)
        .add(matching, Occur.MUST);
    if (centers != null) {
      query.add(new TermInSetQuery("center", centers.stream().map(c -> new BytesRef(Long.toString(c))).toList()),
          Occur.FILTER);
    }
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
   * What a text matches: the phrase of its pairs in the masked text; for a reader who may unmask, also the messages
   * holding every personal item the text holds, whole (however written), and each stretch of the text between them.
   */
  private Query matching(String text, boolean unmasked) {
    Query masked = phrase(text);
    List<PiiItem> items = unmasked ? PiiMasking.find(text) : List.of();
    if (masked == null || items.isEmpty()) {
      return masked;
    }
    BooleanQuery.Builder whole = new BooleanQuery.Builder();
    int from = 0;
    for (PiiItem item : items) {
      whole.add(new TermQuery(new Term(ITEM, keyed.apply(whole(item)))), Occur.FILTER);
      Query before = phrase(text.substring(from, item.start()));
      if (before != null) {
        whole.add(before, Occur.MUST);
      }
      from = item.end();
    }
    Query after = phrase(text.substring(from));
    if (after != null) {
      whole.add(after, Occur.MUST);
    }
    return new BooleanQuery.Builder().add(masked, Occur.SHOULD).add(whole.build(), Occur.SHOULD).build();
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
   * The text's pairs as a phrase on the masked text; null when it has none. A word of one character is a term of its
   * own, found as a word of one character: never a walk of the term dictionary for the pairs it starts or ends.
   */
  private Query phrase(String text) {
    List<String> terms = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream(MASKED, text)) {
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
      return new TermQuery(new Term(MASKED, terms.get(0)));
    }
    PhraseQuery.Builder phrase = new PhraseQuery.Builder();
    for (int i = 0; i < terms.size(); i++) {
      phrase.add(new Term(MASKED, terms.get(i)), positions.get(i));
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
      // A writer that failed (failure) has closed itself already.
      if (writer.isOpen()) {
        writer.close();
      }
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
