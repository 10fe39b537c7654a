package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationState;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The asking node's side of a start: tried again, flagged as repeated, while the owner does not answer or
 * answers {@code unavailable}, within the client's patience; on a clock of its own, no time passing but what
 * the attempts say.
 */
class StartAttemptsTest {
  private static final Instant AT = Instant.parse("2026-12-02T03:04:05Z");
  private static final Conversation STARTED = new Conversation(42, 3, 1, 7, 9, "고객", null,
      ConversationState.WAITING, 0, AT, AT, null, 0, false, null);
  private static final Duration PATIENCE = Duration.ofSeconds(15);
  private static final Duration PER_ATTEMPT = Duration.ofSeconds(5);

  private final AtomicLong nanos = new AtomicLong();
  private final AtomicBoolean connected = new AtomicBoolean(true);
  /** Pauses pass at once, on the clock. */
  private final StartAttempts attempts = new StartAttempts(PATIENCE, PER_ATTEMPT, nanos::get, pause -> work -> {
    nanos.addAndGet(pause.toNanos());
    work.run();
  }, connected::get);
  private final List<String> tried = new ArrayList<>();

  /** An attempt the owner leaves unanswered until {@code wait} has passed. */
  private CompletableFuture<Conversation> timedOut(boolean repeated, Duration wait) {
    tried.add(repeated + " " + wait.toMillis());
    nanos.addAndGet(wait.toNanos());
    return CompletableFuture.failedFuture(new SangdamException(ErrorCode.UNAVAILABLE, "does not answer"));
  }

  private static SangdamException refusal(CompletableFuture<Conversation> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return assertInstanceOf(SangdamException.class, e.getCause());
    }
    throw new AssertionError("started");
  }

  @Test
  void anAnsweredStartIsTriedOnce() {
    Conversation c = attempts.start((repeated, wait) -> {
      tried.add(repeated + " " + wait.toMillis());
      return CompletableFuture.completedFuture(STARTED);
    }).join();

    assertEquals(STARTED, c);
    assertEquals(List.of("false 5000"), tried);
  }

  @Test
  void anOwnerTooSlowIsAskedAgainFlaggedAsRepeated() {
    Conversation c = attempts.start((repeated, wait) -> tried.isEmpty() ? timedOut(repeated, wait) : answered(repeated,
        wait)).join();

    assertEquals(STARTED, c);
    assertEquals(List.of("false 5000", "true 5000"), tried);
  }

  private CompletableFuture<Conversation> answered(boolean repeated, Duration wait) {
    tried.add(repeated + " " + wait.toMillis());
    return CompletableFuture.completedFuture(STARTED);
  }

  @Test
  void aCenterChangingHandsIsAskedAgainAfterAPauseUntilItHasAnOwner() {
    Conversation c = attempts.start((repeated, wait) -> {
      if (tried.size() < 4) {
        tried.add(repeated + " " + wait.toMillis());
        throw new SangdamException(ErrorCode.UNAVAILABLE, "this center is being taken over by another server");
      }
      return answered(repeated, wait);
    }).join();

    assertEquals(STARTED, c);
    assertEquals(List.of("false 5000", "true 5000", "true 5000", "true 5000", "true 5000"), tried);
    assertEquals(4 * StartAttempts.PAUSE.toNanos(), nanos.get(), "a pause between attempts, no more");
  }

  @Test
  void itGivesUpUnavailableWithinTheClientsPatience() {
    SangdamException refused = refusal(attempts.start(this::timedOut));

    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    assertEquals(List.of("false 5000", "true 5000", "true 4000"), tried, "the last attempt within what is left");
    assertTrue(nanos.get() <= PATIENCE.toNanos(), "answered within " + PATIENCE + ": " + nanos.get());
  }

  @Test
  void otherRefusalsAreAnsweredAtOnce() {
    SangdamException refused = refusal(attempts.start((repeated, wait) -> {
      tried.add(repeated + " " + wait.toMillis());
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.NOT_FOUND, "queue not found"));
    }));

    assertEquals(ErrorCode.NOT_FOUND, refused.code());
    assertEquals(List.of("false 5000"), tried);
  }

  @Test
  void cutOffFromTheOtherNodesItIsAnsweredAtOnce() {
    connected.set(false);

    assertEquals(ErrorCode.UNAVAILABLE, refusal(attempts.start(this::timedOut)).code());
    assertEquals(List.of("false 5000"), tried);
  }
}
