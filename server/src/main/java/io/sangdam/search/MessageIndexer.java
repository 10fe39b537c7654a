package io.sangdam.search;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@link MessageIndex} level with the database by reading the message table and the erasure log
 * by ascending id: every node converges on its own, whichever events it was or was not told. Messages are read before
 * erasures in each round, so an erased conversation read late is erased again after. A node starting empty catches
 * up over many rounds and logs how long it took. Runs on the blocking pool, one round at a time.
 */
public final class MessageIndexer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageIndexer.class);
  private static final int BATCH = 2_000;
  /** How long a round may read on: the search waits for a round in progress before it reads what is new. */
  private static final Duration ROUND = Duration.ofSeconds(1);
  /** How long an id passed over is waited for (its transaction still open) before it is taken as never coming. */
  private static final Duration GRACE = Duration.ofSeconds(60);
  private static final Duration COMMIT_EVERY = Duration.ofSeconds(10);
  /** A search reads at most this many new messages itself; further behind, the index is still catching up. */
  static final long CURRENT_LAG = 20_000;
  /** Messages read and held for the index at most while catching up: then they are added. */
  private static final int MOST_PENDING = 50_000;
  /**
   * Messages held at most otherwise: then they are added and the index refreshed. A search adds what is held before
   * it answers, so on a busy day this bounds what it does first (a few hundred milliseconds at most).
   */
  private static final int MOST_PENDING_LEVEL = 10_000;

  private final MessageFeed feed;
  private final MessageIndex index;
  private final Clock clock;
  private final ReentrantLock reading = new ReentrantLock();
  private final IdTail messages;
  private final IdTail erasures;
  private long highestIndexed;
  private volatile long behind;
  private Instant committed;
  private boolean changed;
  /** Read since the last refresh, so not yet visible to searches: the next search refreshes. */
  private boolean unseen;
  private Instant catchingUpSince;
  private long caughtUpFrom;
  /**
   * Messages read and not yet given to the index: added all at once, in the index's order, just before it is
   * refreshed, committed or erased from (see {@link #addPending}). Added as read, a segment cut every few seconds
   * held them oldest first, and Lucene sorting each term's postings at the flush was the largest cost of a busy
   * server.
   */
  private final List<Pending> pending = new ArrayList<>();

  /** A message read; {@code mayBeThere}: it may be indexed already, so it replaces its document. */
  private record Pending(MessageFeed.Message message, boolean mayBeThere) {}

  public MessageIndexer(MessageFeed feed, MessageIndex index, Clock clock) {
    this.feed = requireNonNull(feed, "feed");
    this.index = requireNonNull(index, "index");
    this.clock = requireNonNull(clock, "clock");
    MessageIndex.Position at = index.opened();
    this.messages = new IdTail(at.messages(), GRACE);
    this.erasures = new IdTail(at.erasures(), GRACE);
    this.highestIndexed = at.highestMessage();
    this.committed = clock.instant();
    this.behind = feed.lastMessageId() - messages.high();
  }

  /** One round in the background: reads on for about a second and commits now and then. */
  public void tick() {
    if (!reading.tryLock()) {
      return;
    }
    try {
      Instant until = clock.instant().plus(ROUND);
      while (round() && clock.instant().isBefore(until)) {
        // A full batch: more is waiting.
      }
      if (changed && !clock.instant().isBefore(committed.plus(COMMIT_EVERY))) {
        commit();
      }
    } catch (RuntimeException e) {
      // A database outage, most often: the next round reads on from where this one stood.
      log.warn("search index: a round failed, the next one reads again: {}", e.toString());
    } finally {
      reading.unlock();
    }
  }

  /**
   * Before a search: reads what is new, so a message stored a moment ago on any node is found. False while the index
   * is too far behind for that (a node that started empty and is catching up).
   */
  boolean current() {
    if (behind > CURRENT_LAG) {
      return false;
    }
    reading.lock();
    try {
      while (round()) {
        // At most CURRENT_LAG messages when it began.
      }
      addPending();
      if (unseen) {
        // Only a search refreshes: each refresh cuts a segment to sort, write and merge later, which a refresh every
        // round made the largest cost of a busy server; the periodic commit flushes what no search asked for.
        index.refresh();
        unseen = false;
      }
      return true;
    } finally {
      reading.unlock();
    }
  }

  /**
   * {@link MessageIndex#find} on an index that holds every message stored until now; unavailable while this node's
   * index is still catching up. The first call of a search reads what is new ({@code after} null, or the cursor of a
   * page); {@link #findMore} goes on from where it stopped.
   */
  public List<MessageIndex.Hit> find(long tenantId, String text, boolean unmasked, Instant from, Instant to,
      MessageIndex.Hit after, int count) {
    if (!current()) {
      throw new SangdamException(ErrorCode.UNAVAILABLE, "this server's search index is still being built ("
          + behind + " messages to go): search by text again in a few minutes");
    }
    return index.find(tenantId, text, unmasked, from, to, after, count);
  }

  /** The next conversations of a search {@link #find} began, without reading what is new once more. */
  public List<MessageIndex.Hit> findMore(long tenantId, String text, boolean unmasked, Instant from, Instant to,
      MessageIndex.Hit after, int count) {
    return index.find(tenantId, text, unmasked, from, to, after, count);
  }

  /** Reads one batch of messages and of erasures; true when a batch was full. */
  private boolean round() {
    Instant now = clock.instant();
    long head = feed.lastMessageId();
    behind = head - messages.high();
    if (catchingUpSince == null && behind > CURRENT_LAG) {
      catchingUpSince = now;
      caughtUpFrom = messages.high();
      log.info("search index: catching up {} messages from id {}", behind, messages.high());
    }
    List<MessageFeed.Message> late = messages.gaps().isEmpty() ? List.of() : feed.messages(messages.gaps());
    List<MessageFeed.Message> read = feed.messagesAfter(messages.high(), BATCH);
    long before = highestIndexed;
    // Raised before the adds: an add that fails leaves its messages pending, to replace what it added.
    highestIndexed = Math.max(highestIndexed, read.isEmpty() ? 0 : read.get(read.size() - 1).id());
    late.forEach(m -> pending.add(new Pending(m, true)));
    read.forEach(m -> pending.add(new Pending(m, m.id() <= before)));
    messages.read(late.stream().map(MessageFeed.Message::id).toList(), head, now);
    messages.read(read.stream().map(MessageFeed.Message::id).toList(), head, now);
    messages.expire(now);

    long erasureHead = feed.lastErasureId();
    List<MessageFeed.Erasure> lateErasures = erasures.gaps().isEmpty() ? List.of() : feed.erasures(erasures.gaps());
    List<MessageFeed.Erasure> erased = feed.erasuresAfter(erasures.high(), BATCH);
    if (!lateErasures.isEmpty() || !erased.isEmpty()) {
      addPending(); // an erasure removes only what the index holds: a message of it still pending would stay
    }
    index.erase(lateErasures.stream().map(MessageFeed.Erasure::conversationId).toList());
    index.erase(erased.stream().map(MessageFeed.Erasure::conversationId).toList());
    erasures.read(lateErasures.stream().map(MessageFeed.Erasure::id).toList(), erasureHead, now);
    erasures.read(erased.stream().map(MessageFeed.Erasure::id).toList(), erasureHead, now);
    erasures.expire(now);

    boolean any = !late.isEmpty() || !read.isEmpty() || !lateErasures.isEmpty() || !erased.isEmpty();
    if (any) {
      changed = true;
      unseen = true;
    }
    if (!lateErasures.isEmpty() || !erased.isEmpty()) {
      // An erasure is committed at once, not at the next periodic commit (its postings stay in the files until
      // their segment is merged).
      commit();
    }
    boolean more = read.size() == BATCH || erased.size() == BATCH;
    behind = Math.max(0, head - messages.high());
    if (catchingUpSince == null && pending.size() >= MOST_PENDING_LEVEL) {
      addPending();
      index.refresh();
      unseen = false;
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
   * Gives the pending messages to the index in its order. One that fails leaves them all pending, each to replace its
   * document if it was added.
   */
  private void addPending() {
    if (pending.isEmpty()) {
      return;
    }
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

  private void commit() {
    addPending();
    index.commit(new MessageIndex.Position(messages.low(), highestIndexed, erasures.low()));
    committed = clock.instant();
    changed = false;
  }

  /** Commits where the reading stands, then closes the index. */
  @Override
  public void close() {
    reading.lock();
    try {
      commit();
      index.close();
    } finally {
      reading.unlock();
    }
  }
}
