package io.sangdam.search;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@link MessageIndex} level with the database by reading the message table and the erasure log
 * by ascending id: every node converges on its own, whichever events it was or was not told. Messages are read before
 * erasures in each round, so an erased conversation read late is erased again after. A node starting empty catches
 * up over many rounds and logs how long it took. Runs on a thread of its own, one round at a time; searches never wait
 * for a round: they read what was last made visible, at a commit (every 10 s) or at the end of the first round after
 * a search asked (a message is found within a round of the first search after it was stored).
 *
 * <p>An index that cannot be written any more (a disk full or failing: Lucene closes its writer for good) makes
 * searches by text unavailable, is logged once a minute at most, and is opened again every half minute (from its
 * last commit, or rebuilt if that cannot be read) until it works.
 */
public final class MessageIndexer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageIndexer.class);
  private static final int BATCH = 2_000;
  /** How long a round may read on before it lets the refresh, the commit and the next tick come. */
  private static final Duration ROUND = Duration.ofSeconds(1);
  /** How long an id passed over is waited for (its transaction still open) before it is taken as never coming. */
  private static final Duration GRACE = Duration.ofSeconds(60);
  private static final Duration COMMIT_EVERY = Duration.ofSeconds(10);
  /**
   * How often segments holding erased messages are rewritten at most: erased text leaves the files within this
   * time, while a retention run erasing conversation after conversation rewrites the index once, not for each.
   */
  static final Duration MERGE_ERASED_EVERY = Duration.ofMinutes(10);
  /** How often a failing index is opened again. */
  static final Duration REOPEN_EVERY = Duration.ofSeconds(30);
  /** How often the same trouble is logged at most. */
  private static final Duration WARN_EVERY = Duration.ofMinutes(1);
  /**
   * Further behind than this, after a tick that did not read up to the head, the index is still catching up: searches
   * are refused, and not refreshed for.
   */
  static final long CURRENT_LAG = 20_000;
  /** Messages read and held for the index at most while catching up: then they are added. */
  private static final int MOST_PENDING = 50_000;
  /** Messages held at most otherwise: then they are added and the index refreshed, searched for or not. */
  private static final int MOST_PENDING_LEVEL = 10_000;
  /** Conversations whose center {@link #settledCenters} remembers at most (a few MB). */
  private static final int SETTLED_CONVERSATIONS = 50_000;

  private final MessageFeed feed;
  private final Function<String, MessageIndex> open;
  private final Clock clock;
  private final String database;
  private final ReentrantLock reading = new ReentrantLock();
  /** Set by {@link #close}: the round under way stops reading, and no other begins. */
  private volatile boolean closing;
  private volatile MessageIndex index;
  private IdTail messages;
  private IdTail erasures;
  private long highestIndexed;
  private volatile long behind;
  private volatile long head;
  /**
   * The last tick read up to the head it saw: what is behind at the next one came in since, however many messages
   * that is (a busy server stores more than {@link #CURRENT_LAG} a second), and is read as the index is kept level.
   * Taken for catching up, each second's messages were a catch-up of their own, committed at its end and refused to
   * searches meanwhile. False until a tick does so after the index is opened.
   */
  private volatile boolean levelLastTick;
  /** The highest message and erasure ids searches see (read and refreshed). */
  private volatile long visibleMessages;
  private volatile long visibleErasures;
  /** Why the index cannot be written, null while it can. */
  private volatile Throwable failed;
  private Instant reopenAt;
  private final Throttled roundFailures = new Throttled();
  private final Throttled indexFailures = new Throttled();
  private Instant committed;
  private boolean changed;
  /** Read since the last refresh, so not yet visible to searches. */
  private boolean unseen;
  /**
   * A search came since the last refresh: the next round refreshes. Only then, or at a commit: a refresh cuts a
   * segment to write and merge later, and one every round was the largest cost of a busy server's indexing.
   */
  private volatile boolean wanted;
  private Instant catchingUpSince;
  private long caughtUpFrom;
  private boolean erasedSinceMerge;
  private Instant mergedAt;

  /**
   * Messages read and not yet given to the index: added all at once, in the index's order, just before it is
   * refreshed, committed or erased from (see {@link #addPending}). Added as read, a segment cut every few seconds
   * held them oldest first, and Lucene sorting each term's postings at the flush was the largest cost of a busy
   * server.
   */
  private final List<Pending> pending = new ArrayList<>();

  /** A message read; {@code mayBeThere}: it may be indexed already, so it replaces its document. */
  private record Pending(MessageFeed.Message message, boolean mayBeThere) {}

  /**
   * Conversation id to the center {@link #moved} last found all its messages in, by a search that saw every document
   * added: a message read later in that same center needs no search of the index. A search for each conversation of
   * each batch was most of a busy server's indexing. Only messages read while the index is level pass through
   * {@link #moved}, so this is emptied when it falls behind or is opened anew; erasures only take documents away. A
   * conversation read again after a move is left out until a search settles it. The least recently read are
   * forgotten first.
   */
  private final Map<Long, Long> settledCenters = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
      return size() > SETTLED_CONVERSATIONS;
    }
  };
  /** Documents were added since the last refresh: a search of the index does not see them yet. */
  private boolean addedUnseen;

  /**
   * {@code open} opens the index for the database it is given the id of ({@link MessageFeed#databaseId}), as
   * {@link MessageIndex}'s constructor does; it is called again to open it anew after a failure.
   */
  public MessageIndexer(MessageFeed feed, Function<String, MessageIndex> open, Clock clock) {
    this.feed = requireNonNull(feed, "feed");
    this.open = requireNonNull(open, "open");
    this.clock = requireNonNull(clock, "clock");
    this.database = feed.databaseId();
    this.mergedAt = clock.instant();
    start(open.apply(database));
  }

  /**
   * Reads on from where {@code opened} was committed; from the start if it has read past what the database ever
   * handed out (the database was restored from an earlier backup, and the ids it gives next are new messages).
   */
  private void start(MessageIndex opened) {
    MessageIndex.Position at = opened.opened();
    if (at.highestMessage() > feed.messageIdsHandedOut() || at.erasures() > feed.erasureIdsHandedOut()) {
      log.warn("search index has read message {} and erasure {}, past what this database has handed out (restored "
          + "from a backup?): rebuilding it", at.highestMessage(), at.erasures());
      opened.clear();
      at = new MessageIndex.Position(0, 0, 0);
    }
    index = opened;
    messages = new IdTail(at.messages(), GRACE);
    erasures = new IdTail(at.erasures(), GRACE);
    highestIndexed = at.highestMessage();
    committed = clock.instant();
    changed = false;
    unseen = false;
    pending.clear();
    settledCenters.clear();
    addedUnseen = false;
    head = feed.lastMessageId();
    behind = head - messages.high();
    levelLastTick = false;
    visibleMessages = messages.high();
    visibleErasures = erasures.high();
  }

  /**
   * Whether searches see every message and erasure stored until now (reads the database's heads); asks the next round
   * to make them visible, as a search does.
   */
  public boolean seesAllStored() {
    wanted = true;
    return failed == null && visibleMessages >= feed.lastMessageId() && visibleErasures >= feed.lastErasureId();
  }

  /** One round in the background: reads on for about a second and commits now and then. */
  public void tick() {
    if (closing || !reading.tryLock()) {
      return;
    }
    try {
      if (failed != null) {
        reopen();
        return;
      }
      Instant until = clock.instant().plus(ROUND);
      boolean more = true;
      while (!closing && more && clock.instant().isBefore(until)) {
        more = round();
      }
      levelLastTick = !more;
      if (wanted && unseen && catchingUpSince == null) {
        refresh();
      }
      if (erasedSinceMerge && !clock.instant().isBefore(mergedAt.plus(MERGE_ERASED_EVERY))) {
        index.mergeErased();
        mergedAt = clock.instant();
        erasedSinceMerge = false;
        // The merged segments replace the old ones in the files at the next commit.
        changed = true;
      }
      if (changed && !clock.instant().isBefore(committed.plus(COMMIT_EVERY))) {
        commit();
      }
    } catch (RuntimeException e) {
      Throwable tragic = index.failure();
      if (tragic != null) {
        failed = tragic;
        reopenAt = clock.instant().plus(REOPEN_EVERY);
        indexFailures.warn("search index cannot be written ({}): searches by text are unavailable until it is opened "
            + "again", tragic.toString());
      } else {
        // A database outage, most often: the next round reads on from where this one stood.
        roundFailures.warn("search index: a round failed, the next ones read again ({})", e.toString());
      }
    } finally {
      reading.unlock();
    }
  }

  /** Opens the failed index anew, from its last commit, once {@link #REOPEN_EVERY} has passed. */
  private void reopen() {
    if (clock.instant().isBefore(reopenAt)) {
      return;
    }
    reopenAt = clock.instant().plus(REOPEN_EVERY);
    try {
      index.close();
    } catch (RuntimeException e) {
      log.debug("search index: closing the failed index: {}", e.toString());
    }
    try {
      start(open.apply(database));
      failed = null;
      log.info("search index opened again: reading on from message {}", messages.high());
    } catch (RuntimeException e) {
      indexFailures.warn("search index still cannot be opened ({}): trying again every " + REOPEN_EVERY.toSeconds()
          + " s", e.toString());
    }
  }

  /** One kind of trouble, logged at most once every {@link #WARN_EVERY}: the warnings between are counted. */
  private final class Throttled {
    private Instant warnedAt;
    private int since;

    void warn(String message, String detail) {
      Instant now = clock.instant();
      if (warnedAt != null && now.isBefore(warnedAt.plus(WARN_EVERY))) {
        since++;
        return;
      }
      log.warn(message + (since > 0 ? " (" + since + " more since the last warning)" : ""), detail);
      warnedAt = now;
      since = 0;
    }
  }

  /**
   * {@link MessageIndex#find} on what the indexer has made visible; never waits for a round. Unavailable while this
   * node's index is still catching up, or cannot be written.
   */
  public List<MessageIndex.Hit> find(long tenantId, Collection<Long> centers, String text, boolean unmasked,
      Instant from, Instant to, MessageIndex.Hit after, int count) {
    if (failed != null) {
      throw failedIndex();
    }
    wanted = true;
    long behindNow = behind;
    if (backlog(behindNow)) {
      long read = Math.max(0, head - behindNow);
      throw new SangdamException(ErrorCode.UNAVAILABLE, "this server's search index is still being built ("
          + Math.min(99, 100 * read / Math.max(1, head)) + " % done): search by text again in a few minutes");
    }
    try {
      return index.find(tenantId, centers, text, unmasked, from, to, after, count);
    } catch (AlreadyClosedException e) {
      // It failed, or was opened anew, while this search began.
      throw failedIndex();
    }
  }

  /** {@code behind} is a backlog to catch up on, not what came in since a tick that read up to the head. */
  private boolean backlog(long behind) {
    return behind > CURRENT_LAG && !levelLastTick;
  }

  private static SangdamException failedIndex() {
    return new SangdamException(ErrorCode.UNAVAILABLE, "this server's search index cannot be written (its disk may "
        + "be full) and is being opened again: search by text again in a minute; every other filter works");
  }

  /** Reads one batch of messages and of erasures; true when a batch was full. */
  private boolean round() {
    Instant now = clock.instant();
    long headNow = feed.lastMessageId();
    head = headNow;
    behind = headNow - messages.high();
    if (catchingUpSince == null && backlog(behind)) {
      catchingUpSince = now;
      caughtUpFrom = messages.high();
      settledCenters.clear();
      log.info("search index: catching up {} messages from id {}", behind, messages.high());
    }
    List<MessageFeed.IdRange> gaps = messages.gaps();
    List<MessageFeed.Message> late = gaps.isEmpty() ? List.of() : feed.messages(gaps, BATCH);
    List<MessageFeed.Message> read = feed.messagesAfter(messages.high(), BATCH);
    long before = highestIndexed;
    // Raised before the adds: an add that fails leaves its messages pending, to replace what it added.
    highestIndexed = Math.max(highestIndexed, read.isEmpty() ? 0 : read.get(read.size() - 1).id());
    late.forEach(m -> pending.add(new Pending(m, true)));
    read.forEach(m -> pending.add(new Pending(m, m.id() <= before)));
    if (catchingUpSince == null) {
      // While catching up every message read carries its conversation's center now, and searches are refused.
      moved(late, read);
    }
    messages.read(late.stream().map(MessageFeed.Message::id).toList(), now);
    messages.read(read.stream().map(MessageFeed.Message::id).toList(), now);
    messages.expire(now);

    List<MessageFeed.IdRange> erasureGaps = erasures.gaps();
    List<MessageFeed.Erasure> lateErasures = erasureGaps.isEmpty() ? List.of() : feed.erasures(erasureGaps, BATCH);
    List<MessageFeed.Erasure> erased = feed.erasuresAfter(erasures.high(), BATCH);
    if (!lateErasures.isEmpty() || !erased.isEmpty()) {
      addPending(); // an erasure removes only what the index holds: a message of it still pending would stay
    }
    index.erase(lateErasures.stream().map(MessageFeed.Erasure::conversationId).toList());
    index.erase(erased.stream().map(MessageFeed.Erasure::conversationId).toList());
    erasures.read(lateErasures.stream().map(MessageFeed.Erasure::id).toList(), now);
    erasures.read(erased.stream().map(MessageFeed.Erasure::id).toList(), now);
    erasures.expire(now);
    long givenUp = messages.takeGivenUp() + erasures.takeGivenUp();
    if (givenUp > 0) {
      roundFailures.warn("search index: more than " + IdTail.MAX_GAPS + " gaps of ids passed over at once; {} of the "
          + "oldest are no longer waited for", Long.toString(givenUp));
    }

    boolean any = !late.isEmpty() || !read.isEmpty() || !lateErasures.isEmpty() || !erased.isEmpty();
    if (any) {
      changed = true;
      unseen = true;
    }
    if (!lateErasures.isEmpty() || !erased.isEmpty()) {
      // An erasure is committed at once, not at the next periodic commit; its postings leave the files when the
      // segments holding them are rewritten (MERGE_ERASED_EVERY).
      commit();
      erasedSinceMerge = true;
    }
    boolean more = read.size() == BATCH || erased.size() == BATCH || late.size() == BATCH;
    behind = Math.max(0, headNow - messages.high());
    if (catchingUpSince == null && behind <= CURRENT_LAG && pending.size() >= MOST_PENDING_LEVEL) {
      refresh();
    } else if (pending.size() >= MOST_PENDING) {
      addPending();
    }
    if (!more && catchingUpSince != null) {
      commit();
      Duration took = Duration.between(catchingUpSince, clock.instant());
      long count = messages.high() - caughtUpFrom;
      log.info("search index: caught up {} messages in {} s ({} messages/s), {} MB on disk", count,
          took.toSeconds(), count * 1000 / Math.max(1, took.toMillis()), index.bytesOnDisk() / (1024 * 1024));
      catchingUpSince = null;
    }
    return more;
  }

  /**
   * Reads again every message of the conversations among {@code batches} that a transfer moved to another center
   * since some of their messages were indexed, so that a search held to the new center finds them. Those still
   * pending take their conversation's center as last read when they are added ({@link #addPending}).
   */
  @SafeVarargs
  private void moved(List<MessageFeed.Message>... batches) {
    Map<Long, Long> centers = new HashMap<>();
    for (List<MessageFeed.Message> batch : batches) {
      batch.forEach(m -> centers.put(m.conversationId(), m.centerId()));
    }
    Set<Long> moved = new HashSet<>();
    Map<Long, Long> unsettled = new HashMap<>();
    centers.forEach((conversation, center) -> {
      Long settled = settledCenters.get(conversation);
      if (settled == null) {
        unsettled.put(conversation, center);
      } else if (settled.longValue() != center) {
        moved.add(conversation);
      }
    });
    if (!unsettled.isEmpty()) {
      List<Long> elsewhere = index.movedAmong(unsettled);
      moved.addAll(elsewhere);
      if (!addedUnseen) {
        elsewhere.forEach(unsettled::remove);
        settledCenters.putAll(unsettled);
      }
    }
    if (!moved.isEmpty()) {
      // The messages read again include the pending ones of these conversations: each is added once.
      pending.removeIf(p -> moved.contains(p.message().conversationId()));
      feed.messagesOf(List.copyOf(moved), highestIndexed).forEach(m -> pending.add(new Pending(m, true)));
      // Read again in the center each is in by now, which a transfer since this round's read may have changed.
      moved.forEach(settledCenters::remove);
    }
  }

  /**
   * Gives the pending messages to the index in its order, each with its conversation's center as last read (a
   * transfer while they were pending moves the earlier ones too). One that fails leaves them all pending, each to
   * replace its document if it was added.
   */
  private void addPending() {
    if (pending.isEmpty()) {
      return;
    }
    Map<Long, Long> centers = new HashMap<>();
    pending.forEach(p -> centers.put(p.message().conversationId(), p.message().centerId()));
    pending.replaceAll(p -> p.message().centerId() == centers.get(p.message().conversationId()) ? p
        : new Pending(p.message().inCenter(centers.get(p.message().conversationId())), p.mayBeThere()));
    addedUnseen = true;
    try {
      pending.sort(Comparator.comparing(Pending::message, MessageIndex.ORDER));
      int from = 0;
      for (int i = 1; i <= pending.size(); i++) {
        if (i == pending.size() || pending.get(i).mayBeThere() != pending.get(from).mayBeThere()) {
          index.add(pending.subList(from, i).stream().map(Pending::message).toList(), pending.get(from).mayBeThere());
          from = i;
        }
      }
      pending.clear();
    } catch (RuntimeException e) {
      pending.replaceAll(p -> new Pending(p.message(), true));
      throw e;
    }
  }

  /** Makes what was read visible to searches. */
  private void refresh() {
    addPending();
    index.refresh();
    addedUnseen = false;
    unseen = false;
    wanted = false;
    visibleMessages = messages.high();
    visibleErasures = erasures.high();
  }

  /** Commits what was read and where the reading stands; then searches see it too (the commit wrote it already). */
  private void commit() {
    addPending();
    index.commit(new MessageIndex.Position(messages.low(), highestIndexed, erasures.low()));
    committed = clock.instant();
    changed = false;
    if (unseen && catchingUpSince == null) {
      refresh();
    }
  }

  /** Commits where the reading stands, then closes the index. */
  @Override
  public void close() {
    closing = true;
    reading.lock();
    try {
      if (failed == null) {
        commit();
      }
      index.close();
    } finally {
      reading.unlock();
    }
  }
}
