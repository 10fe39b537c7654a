package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import io.sangdam.chat.Conversation;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the node a customer starts on: one start, under one key, tried at the center's owner until it
 * answers. An attempt the owner did not answer in time (slow, or dead right after committing), or
 * refused {@code unavailable} (the center changing hands, the database away a moment), is tried again
 * under the same key, flagged as repeated, of the owner as known then; the owner answers a repeat with
 * the conversation the key opened, if any ({@link KeyedStarts}). So the customer is told {@code started}
 * of one conversation, instead of {@code unavailable} and a second conversation when they start again.
 * Other refusals (no such queue, the center closed) are answered at once, and so is {@code unavailable}
 * while this node is cut off from the other nodes: no owner can be reached, nor can any node own a center.
 */
final class StartAttempts {
  private static final Logger log = LoggerFactory.getLogger(StartAttempts.class);
  /** Under a client's patience for the answer to a start; then {@code unavailable}, as one attempt would say. */
  static final Duration PATIENCE = Duration.ofSeconds(15);
  /** Between a failed attempt and the next: a center without an owner refuses at once, for a few seconds. */
  static final Duration PAUSE = Duration.ofMillis(500);
  /** The least time worth giving another attempt. */
  private static final Duration LEAST = Duration.ofSeconds(1);

  private final Duration patience;
  private final Duration perAttempt;
  private final LongSupplier nanoTime;
  private final Function<Duration, Executor> after;
  private final BooleanSupplier connected;

  /**
   * @param perAttempt how long an owner may take to answer one attempt
   * @param after runs what it is given once the duration has passed (without a thread waiting)
   * @param connected whether this node reaches the other nodes now
   */
  StartAttempts(Duration patience, Duration perAttempt, LongSupplier nanoTime, Function<Duration, Executor> after,
      BooleanSupplier connected) {
    this.patience = requireNonNull(patience, "patience");
    this.perAttempt = requireNonNull(perAttempt, "perAttempt");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    this.after = requireNonNull(after, "after");
    this.connected = requireNonNull(connected, "connected");
  }

  /** The conversation of the first attempt answered, or the last refusal. */
  CompletableFuture<Conversation> start(Attempt attempt) {
    CompletableFuture<Conversation> done = new CompletableFuture<>();
    attempt(attempt, false, nanoTime.getAsLong() + patience.toNanos(), done);
    return done;
  }

  private void attempt(Attempt attempt, boolean repeated, long deadline, CompletableFuture<Conversation> done) {
    Duration left = Duration.ofNanos(deadline - nanoTime.getAsLong());
    CompletableFuture<Conversation> tried;
    try {
      tried = attempt.attempt(repeated, left.compareTo(perAttempt) < 0 ? left : perAttempt);
    } catch (RuntimeException e) {
      tried = CompletableFuture.failedFuture(e);
    }
    tried.whenComplete((started, failed) -> {
      if (failed == null) {
        done.complete(started);
        return;
      }
      Throwable cause = failed instanceof CompletionException && failed.getCause() != null ? failed.getCause() : failed;
      boolean worthAgain = cause instanceof SangdamException e && e.code() == ErrorCode.UNAVAILABLE
          && deadline - nanoTime.getAsLong() >= PAUSE.plus(LEAST).toNanos() && connected.getAsBoolean();
      if (!worthAgain) {
        done.completeExceptionally(cause);
        return;
      }
      log.info("a customer's start is asked again under its key: {}", cause.getMessage());
      CompletableFuture.runAsync(() -> attempt(attempt, true, deadline, done), after.apply(PAUSE))
          .exceptionally(e -> {
            done.completeExceptionally(e);
            return null;
          });
    });
  }

  /** One try at the center's owner as known now; {@code repeated} from the second on; {@code wait}: for its answer. */
  @FunctionalInterface
  interface Attempt {
    CompletableFuture<Conversation> attempt(boolean repeated, Duration wait);
  }
}
