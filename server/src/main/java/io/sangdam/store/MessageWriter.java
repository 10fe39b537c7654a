package io.sangdam.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sangdam.chat.Choice;
import io.sangdam.chat.MessageLog;
import io.sangdam.chat.NewMessage;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.threads.HotThreads;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes chat messages in batches: one thread drains whatever has queued up (at most
 * {@code maxBatch}) and commits it with one multi-row INSERT, so a busy server pays one commit for
 * many messages (group commit). The per-conversation {@code seq} is given here, on the writer
 * thread, and counted only once committed, so a failed batch leaves no gap. Futures complete after
 * the commit, in the order the messages were appended, on a thread of their own
 * ({@code message-delivery}): what waits on them (the live state's seq, publishing the event)
 * then runs beside the next batch's commit instead of holding the writer from it. A batch's
 * answers go to that thread as one task, not one each: a hand-off (and a wake-up) per commit.
 *
 * <p>A batch the database rolls back on a conflict (a deadlock; on Galera, a certification failure)
 * is run again whole, on this thread, after a pause of milliseconds (see {@link ConflictRetry}): nothing
 * of it was stored, and its seqs are given again from the committed ones, so nothing is inserted twice
 * and no seq is skipped.
 */
public final class MessageWriter implements MessageLog, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageWriter.class);
  /** Messages waiting beyond this are refused with {@code unavailable}: back-pressure instead of running out of memory. */
  private static final int QUEUE_CAPACITY = 100_000;
  /**
   * How long a batch waits for the database before it is answered {@code unavailable}: a commit
   * takes milliseconds, and a sender waiting longer for its ack is better told to send again (the
   * cmid makes a batch that did commit after all count once). Far shorter than the pool's
   * query timeout, which must leave room for reports.
   */
  static final int WRITE_TIMEOUT_MILLIS = 5_000;
  /**
   * Text a batch takes before it is cut (a message more may go past it): at 4 bytes a character at most, a
   * megabyte's statement, far below the database's largest packet (16 MB by default, 4 MB in older servers).
   */
  private static final int BATCH_TEXT_CHARS = 1 << 18;
  /** Counted for each message beside its text, name and buttons' words: its other columns; and for each button. */
  private static final int ROW_CHARS = 128;
  private static final String COLUMNS = "conversation_id, seq, sender_kind, sender_id, cmid, body, created_at, "
      + "attachment_id, sender_name, buttons, button, system_key, system_params";
  private static final int COLUMN_COUNT = 13;
  /** MariaDB's errors for a NULL in a NOT NULL column, and for a foreign key naming no row. */
  private static final int NULL_REFUSED = 1048;
  private static final int NO_SUCH_PARENT = 1452;
  /** How long the writer keeps its connection with nothing to write: a second, then the pool has it back. */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private sealed interface Entry {
    /** About how many characters of text it adds to a batch's statement. */
    default int chars() {
      return 0;
    }
  }

  private record Append(NewMessage message, CompletableFuture<StoredMessage> done) implements Entry {
    @Override
    public int chars() {
      int chars = message.body().length() + ROW_CHARS + (message.name() == null ? 0 : message.name().length());
      for (Choice b : message.buttons()) {
        chars += b.id().length() + b.label().length() + ROW_CHARS;
      }
      return chars;
    }

    /** Who sent it and their cmid: a repeat within one batch is stored once. Null without a cmid. */
    DedupeKey dedupeKey() {
      return message.cmid() == null ? null : new DedupeKey(message.senderKind(), message.senderId(), message.cmid());
    }
  }

  private record DedupeKey(SenderKind kind, Long senderId, String cmid) {}

  private record Barrier(CompletableFuture<Void> done) implements Entry {}

  /** The writer thread's own connection, kept while messages come; given back after {@link #IDLE_NANOS} without any. */
  private final KeptConnection connection;
  private final Database database;
  private final int maxBatch;
  private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  /**
   * Last committed seq per conversation, the least recently used dropped past
   * {@code rememberedConversations} (it is read back from the table then). Touched only by the
   * writer thread, so a plain map: a concurrent cache's bookkeeping on every message cost more
   * than the insert's parameters.
   */
  private final Map<Long, Long> lastSeq;
  /**
   * Senders' cmids of messages answered {@code unavailable} after a failed transaction that may
   * have committed all the same: a timeout can fire with the insert (or the COMMIT) already in the database's
   * receive buffer (the database frozen, or a commit stalled past {@link #WRITE_TIMEOUT_MILLIS}),
   * and it runs when the database resumes. The resend that finds such a message stored is its
   * first answer, not a repeat, so the other participants are told of it then; the key is dropped
   * then, so a second resend is a repeat again. Writer thread only; the oldest forgotten past
   * {@link #QUEUE_CAPACITY} (its message, if stored, still comes with a {@code resume}).
   */
  private final Set<DedupeKey> inDoubt = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<DedupeKey, Boolean> eldest) {
      return size() > QUEUE_CAPACITY;
    }
  });
  private final Thread thread;
  /** One thread, so completions keep the order of the commits (and events are published in it); hot: every message waits on it. */
  private final ExecutorService delivery = Executors.newSingleThreadExecutor(
      HotThreads.marking(r -> new Thread(r, "message-delivery")));
  /** Writer thread only: answers of the batch being written, not yet handed to the delivery thread. */
  private List<Runnable> answers = new ArrayList<>();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong messagesStored = new AtomicLong();
  private final DistributionSummary batchSizes;
  private final Timer commitTimes;
  private volatile boolean stopping;
  private final WriteFence fence;
  /** Clustered: each batch writes only the messages of centers this node still owns. */
  private final CenterFence centers;
  /** Another node took the database over: nothing queued is written any more (see {@link #fence()}). */
  private volatile boolean fenced;

  /** {@code meters}: where the batch sizes, commit times and stored messages are counted. */
  public MessageWriter(Database db, int maxBatch, MeterRegistry meters) {
    this(db, maxBatch, meters, WriteFence.NONE);
  }

  /** {@code fence}: inside every insert, so nothing is written once another node took the database over. */
  public MessageWriter(Database db, int maxBatch, MeterRegistry meters, WriteFence fence) {
    this(db, maxBatch, meters, fence, CenterFence.NONE);
  }

  /**
   * {@code centers}: checked in every batch's transaction too, once per center of the batch; the messages
   * of a center another node owns now are answered {@code unavailable}, the others committed.
   */
  public MessageWriter(Database db, int maxBatch, MeterRegistry meters, WriteFence fence, CenterFence centers) {
    this(db, maxBatch, 200_000, meters, fence, centers);
  }

  MessageWriter(Database db, int maxBatch, int rememberedConversations, MeterRegistry meters) {
    this(db, maxBatch, rememberedConversations, meters, WriteFence.NONE, CenterFence.NONE);
  }

  private MessageWriter(Database db, int maxBatch, int rememberedConversations, MeterRegistry meters,
      WriteFence fence, CenterFence centers) {
    this.fence = fence;
    this.centers = centers;
    this.connection = new KeptConnection(db, WRITE_TIMEOUT_MILLIS);
    this.database = db;
    this.maxBatch = maxBatch;
    this.batchSizes = DistributionSummary.builder("sangdam.writer.batch.size")
        .description("chat messages committed in one transaction").register(meters);
    this.commitTimes = Timer.builder("sangdam.writer.commit")
        .description("time to insert and commit one batch of chat messages").register(meters);
    FunctionCounter.builder("sangdam.messages.stored", messagesStored, AtomicLong::get)
        .description("chat messages committed").register(meters);
    this.lastSeq = new LinkedHashMap<>(1 << 10, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
        return size() > rememberedConversations;
      }
    };
    this.thread = new Thread(this::run, "message-writer");
    this.thread.setDaemon(false);
  }

  public void start() {
    thread.start();
  }

  @Override
  public CompletableFuture<StoredMessage> append(NewMessage message) {
    if (!database.isReachable()) {
      // Refused at the door while the database is known down: the sender resends with its cmid.
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.UNAVAILABLE,
          "the database is unavailable; try again"));
    }
    CompletableFuture<StoredMessage> done = new CompletableFuture<>();
    enqueue(new Append(message, done), done);
    return done;
  }

  @Override
  public CompletableFuture<Void> barrier() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    enqueue(new Barrier(done), done);
    return done;
  }

  /**
   * Writer thread: {@code completion} (of a future {@link #append} or {@link #barrier} returned) runs on the
   * delivery thread at the next {@link #handOver}, after those before it. Only a refusal at the door (stopping,
   * or full) completes a future elsewhere: nothing was queued then, nothing to keep in order.
   */
  private void answer(Runnable completion) {
    answers.add(completion);
  }

  /** Writer thread: the answers gathered since the last hand-over go to the delivery thread, in order, as one task. */
  private void handOver() {
    if (answers.isEmpty()) {
      return;
    }
    List<Runnable> batch = answers;
    answers = new ArrayList<>();
    delivery.execute(() -> batch.forEach(Runnable::run));
  }

  private void enqueue(Entry entry, CompletableFuture<?> done) {
    if (stopping) {
      done.completeExceptionally(new SangdamException(ErrorCode.UNAVAILABLE, "the server is shutting down"));
    } else if (!queue.offer(entry)) {
      done.completeExceptionally(new SangdamException(ErrorCode.UNAVAILABLE, "too many messages waiting to be stored"));
    }
  }

  /** Transactions committed on the fast path so far: fewer than messages when batching works. */
  public long commits() {
    return commits.get();
  }

  /**
   * The database's lease is lost: refuses new messages at once and, instead of writing what is
   * queued, answers it {@code unavailable} (the senders resend it, with its cmid, to the node that
   * took over). What was acknowledged was committed already. {@link #close()} then flushes nothing.
   */
  public void fence() {
    fenced = true;
    stopping = true;
  }

  /** Stops taking messages and returns once everything already queued is committed and answered (or, fenced, refused). */
  @Override
  public void close() {
    stopping = true;
    try {
      thread.join();
      if (fenced) {
        refuseQueued();
      }
      delivery.shutdown();
      if (!delivery.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("message completions still running after 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Entry> batch = new ArrayList<>(maxBatch);
    long lastWritten = System.nanoTime();
    while (!fenced && (!stopping || !queue.isEmpty())) {
      try {
        Entry first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (System.nanoTime() - lastWritten > IDLE_NANOS) {
            connection.release();
          }
          continue;
        }
        lastWritten = System.nanoTime();
        batch.add(first);
        drain(batch);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        connection.release();
        return;
      } catch (WriteFence.Fenced e) {
        log.error("another node took the database over: {} messages not written, and no more will be", batch.size());
        fence();
        fail(batch, e);
      } catch (RuntimeException e) {
        log.error("message writer failed on a batch of {}", batch.size(), e);
        fail(batch, e);
      } finally {
        batch.clear();
        handOver();
      }
    }
    connection.release();
    if (fenced) {
      refuseQueued();
    }
  }

  /**
   * Adds to {@code batch} what has queued up, to {@code maxBatch} entries and about {@link #BATCH_TEXT_CHARS} of
   * text: a batch is one statement, which must fit the database's largest packet.
   */
  private void drain(List<Entry> batch) {
    long chars = batch.get(0).chars();
    for (Entry next; batch.size() < maxBatch && chars < BATCH_TEXT_CHARS && (next = queue.poll()) != null; ) {
      batch.add(next);
      chars += next.chars();
    }
  }

  private void refuseQueued() {
    List<Entry> left = new ArrayList<>();
    queue.drainTo(left);
    if (!left.isEmpty()) {
      fail(left, new WriteFence.Fenced());
      handOver();
    }
  }

  private void write(List<Entry> batch) {
    List<Append> appends = new ArrayList<>();
    for (Entry e : batch) {
      if (e instanceof Append a) {
        appends.add(a);
      }
    }
    if (!appends.isEmpty()) {
      commit(appends);
    }
    for (Entry e : batch) {
      if (e instanceof Barrier b) {
        answer(() -> b.done().complete(null));
      }
    }
  }

  /** The fast path: one multi-row INSERT. A duplicate cmid already in the database sends the batch down the careful path. */
  private void commit(List<Append> appends) {
    Map<DedupeKey, Append> firstByKey = new HashMap<>();
    Map<Append, Append> repeats = new LinkedHashMap<>();
    List<Append> unique = new ArrayList<>();
    for (Append a : appends) {
      DedupeKey key = a.dedupeKey();
      Append first = key == null ? null : firstByKey.putIfAbsent(key, a);
      if (first == null) {
        unique.add(a);
      } else {
        repeats.put(a, first);
      }
    }
    Admitted admitted;
    try {
      long started = System.nanoTime();
      // Alone on the database, a batch is one statement: atomic by itself, its fence inside, no COMMIT to wait for.
      admitted = centers == CenterFence.NONE
          ? connection.autocommitted(c -> new Admitted(unique, insertAll(c, unique), List.of()))
          : connection.transaction(c -> admit(c, unique));
      commitTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      batchSizes.record(admitted.written().size());
      messagesStored.addAndGet(admitted.written().size());
      commits.incrementAndGet();
    } catch (StoreException e) {
      if (!Sql.isDuplicate(e)) {
        unique.forEach(a -> {
          lastSeq.remove(a.message().conversationId());
          doubt(a);
        });
        fail(appends, e);
        return;
      }
      unique.forEach(a -> lastSeq.remove(a.message().conversationId()));
      oneByOne(unique);
      completeRepeats(repeats);
      return;
    }
    List<Append> written = admitted.written();
    for (int i = 0; i < written.size(); i++) {
      StoredMessage m = admitted.stored().get(i);
      lastSeq.put(m.conversationId(), m.seq());
      if (!inDoubt.isEmpty()) {
        inDoubt.remove(written.get(i).dedupeKey()); // inserted now: the failed attempt had not committed
      }
      CompletableFuture<StoredMessage> done = written.get(i).done();
      answer(() -> done.complete(m));
    }
    if (!admitted.refused().isEmpty()) {
      fail(admitted.refused(), new SangdamException(ErrorCode.UNAVAILABLE, "their centers have another owner now"));
    }
    completeRepeats(repeats);
  }

  /** A committed batch: the messages written (with what was stored, in order) and those of centers another node owns now. */
  private record Admitted(List<Append> written, List<StoredMessage> stored, List<Append> refused) {}

  /** Inserts the messages of the centers this node still owns; the others' are refused, not written. */
  private Admitted admit(Connection c, List<Append> appends) throws SQLException {
    Set<Long> refusedConversations = centers.refused(c,
        appends.stream().map(a -> a.message().conversationId()).toList());
    if (refusedConversations.isEmpty()) {
      return new Admitted(appends, insertAll(c, appends), List.of());
    }
    List<Append> written = new ArrayList<>();
    List<Append> refused = new ArrayList<>();
    for (Append a : appends) {
      (refusedConversations.contains(a.message().conversationId()) ? refused : written).add(a);
    }
    return new Admitted(written, written.isEmpty() ? List.of() : insertAll(c, written), refused);
  }

  private List<StoredMessage> insertAll(Connection c, List<Append> appends) throws SQLException {
    Map<Long, Long> next = committedSeqs(c, appends);
    List<StoredMessage> stored = new ArrayList<>(appends.size());
    for (Append a : appends) {
      NewMessage m = a.message();
      long seq = next.get(m.conversationId()) + 1;
      next.put(m.conversationId(), seq);
      stored.add(new StoredMessage(m.conversationId(), seq, m.senderKind(), m.senderId(), m.cmid(), m.body(), m.at(),
          m.attachment(), false, m.name(), m.buttons(), m.button(), m.notice()));
    }
    // One statement of text for the whole batch, its first row's conversation read through the fence: the rows and
    // the fence go in one round trip (a bulk command would be prepared first, a round trip more), and the rows' ids
    // are taken without gaps, as for any multi-row VALUES (an INSERT ... SELECT reserves ids in growing blocks and
    // leaves the unused ones as gaps, each of which the search's indexer would wait for).
    Object[] params = new Object[COLUMN_COUNT * stored.size() + (fence.token() == null ? 0 : 1)];
    int i = 0;
    for (StoredMessage m : stored) {
      params[i++] = m.conversationId();
      if (i == 1 && fence.token() != null) {
        params[i++] = fence.token(); // the fence's own parameter, after the first row's conversation it guards
      }
      params[i++] = m.seq();
      params[i++] = m.senderKind();
      params[i++] = m.senderId();
      params[i++] = m.cmid();
      params[i++] = m.body();
      params[i++] = m.at();
      params[i++] = m.attachment() == null ? null : m.attachment().id();
      params[i++] = m.name();
      params[i++] = ChoicesJson.write(m.buttons());
      params[i++] = m.button();
      params[i++] = m.notice() == null ? null : m.notice().key();
      params[i++] = NoticeJson.params(m.notice());
    }
    try (PreparedStatement ps = c.prepareStatement(insert(stored.size()))) {
      Sql.bind(ps, params);
      ps.executeUpdate();
    } catch (SQLException e) {
      // A fenced first row has no conversation: refused as null (strict mode) or as no conversation (foreign key).
      if ((e.getErrorCode() == NULL_REFUSED || e.getErrorCode() == NO_SUCH_PARENT) && !fence.holds(c)) {
        fence.lost();
        throw new WriteFence.Fenced();
      }
      throw e;
    }
    return stored;
  }

  /** The insert of {@code rows} messages, the first one's conversation through the fence. */
  private String insert(int rows) {
    String rest = ", ?".repeat(COLUMN_COUNT - 1) + ")";
    return "INSERT INTO message (" + COLUMNS + ") VALUES (" + fence.conversation() + rest
        + (", (?" + rest).repeat(rows - 1);
  }

  /**
   * The last committed seq of each conversation of the batch: remembered, or, for those this writer
   * has not written to yet (after a start, a restart, a center taken over), read in one query for
   * all of them: with thousands of conversations a round trip each would hold the writer thread.
   */
  private Map<Long, Long> committedSeqs(Connection c, List<Append> appends) throws SQLException {
    Map<Long, Long> committed = new HashMap<>();
    List<Long> unknown = new ArrayList<>();
    for (Append a : appends) {
      long id = a.message().conversationId();
      if (!committed.containsKey(id)) {
        Long known = lastSeq.get(id);
        if (known == null) {
          unknown.add(id);
        }
        committed.put(id, known == null ? 0L : known);
      }
    }
    if (!unknown.isEmpty()) {
      String in = String.join(", ", Collections.nCopies(unknown.size(), "?"));
      for (long[] row : Sql.list(c, "SELECT conversation_id, MAX(seq) FROM message WHERE conversation_id IN (" + in
          + ") GROUP BY conversation_id", rs -> new long[] {rs.getLong(1), rs.getLong(2)}, unknown.toArray())) {
        committed.put(row[0], row[1]);
      }
    }
    return committed;
  }

  /**
   * The careful path: each message in its own transaction, answering a stored cmid with the
   * original, as a repeat unless its first attempt was answered {@code unavailable} (in doubt).
   */
  private void oneByOne(List<Append> appends) {
    for (Append a : appends) {
      NewMessage m = a.message();
      if (fenced) {
        // Another node took the database over during this batch: the rest is refused untried, as what is queued.
        fail(List.of(a), new WriteFence.Fenced());
        continue;
      }
      try {
        Stored result = connection.transaction(c -> {
          centers.checkConversation(c, m.conversationId());
          Optional<StoredMessage> earlier = m.cmid() == null ? Optional.empty() : Sql.list(c,
              JdbcChatStore.MESSAGE_SELECT + " WHERE m.sender_kind = ? AND m.sender_id = ? AND m.cmid = ?",
              JdbcChatStore::message, m.senderKind(), m.senderId(), m.cmid()).stream().findFirst();
          return earlier.isPresent() ? new Stored(earlier.get(), false) : new Stored(insertAll(c, List.of(a)).get(0), true);
        });
        boolean firstAnswer = inDoubt.remove(a.dedupeKey()) || result.inserted();
        if (result.inserted()) {
          lastSeq.put(result.message().conversationId(), result.message().seq());
        }
        if (firstAnswer) {
          messagesStored.incrementAndGet(); // also one committed after its answer said it was not
        }
        StoredMessage answer = firstAnswer ? result.message() : result.message().asRepeated();
        answer(() -> a.done().complete(answer));
      } catch (RuntimeException e) {
        if (e instanceof WriteFence.Fenced) {
          fence();
        }
        lastSeq.remove(m.conversationId());
        if (!(e instanceof CenterFence.Fenced)) {
          doubt(a); // a fenced transaction read the fence and rolled back: it committed nothing
        }
        fail(List.of(a), e);
      }
    }
  }

  /** A message of the careful path: inserted now, or found stored by its cmid. */
  private record Stored(StoredMessage message, boolean inserted) {}

  /** Remembers that {@code a}'s failed transaction may have committed (see {@link #inDoubt}). */
  private void doubt(Append a) {
    DedupeKey key = a.dedupeKey();
    if (key != null) {
      inDoubt.add(key);
    }
  }

  private static void completeRepeats(Map<Append, Append> repeats) {
    repeats.forEach((repeat, first) -> first.done().whenComplete((m, e) -> {
      if (e != null) {
        repeat.done().completeExceptionally(e);
      } else {
        repeat.done().complete(m.asRepeated());
      }
    }));
  }

  private void fail(List<? extends Entry> entries, Exception cause) {
    log.warn("could not store {} messages: {}", entries.size(), cause.getMessage());
    SangdamException failure = new SangdamException(ErrorCode.UNAVAILABLE, "the message could not be stored; send it again");
    for (Entry e : entries) {
      if (e instanceof Append a) {
        answer(() -> a.done().completeExceptionally(failure));
      } else if (e instanceof Barrier b) {
        answer(() -> b.done().complete(null));
      }
    }
  }
}
