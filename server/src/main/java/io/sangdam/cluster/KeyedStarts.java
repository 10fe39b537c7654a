package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.FirstMessage;
import io.sangdam.directory.Queue;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * On the owner of a center: customers' starts under the keys their nodes gave them, each key one
 * conversation. A node that got no answer in time asks again with the same key ({@link StartAttempts}),
 * and is answered the conversation the key opened instead of a second one: from memory while this node
 * is starting it or started it lately, else from the database, where the key is stored with the
 * conversation (its first owner may have died right after committing it). Only an attempt flagged as
 * repeated reads the database: a first one costs what a start costs.
 */
public final class KeyedStarts {
  /**
   * Well beyond the time an asking node keeps asking again ({@link StartAttempts#PATIENCE}); a key
   * forgotten sooner (more starts than {@link #MOST} meanwhile) is found in the database.
   */
  static final Duration REMEMBERED = Duration.ofMinutes(1);
  private static final long MOST = 10_000;

  private final Opening opening;
  private final Cache<String, CompletableFuture<Conversation>> recent;
  private final Counter fromMemory;
  private final Counter fromDatabase;
  private final Counter opened;

  public KeyedStarts(Opening opening, Ticker ticker, MeterRegistry meters) {
    this.opening = requireNonNull(opening, "opening");
    this.recent = Caffeine.newBuilder().ticker(requireNonNull(ticker, "ticker")).expireAfterWrite(REMEMBERED)
        .maximumSize(MOST).build();
    this.fromMemory = repeated(meters, "memory");
    this.fromDatabase = repeated(meters, "database");
    this.opened = repeated(meters, "none");
  }

  private static Counter repeated(MeterRegistry meters, String found) {
    return Counter.builder("sangdam.cluster.starts.repeated")
        .description("Customers' starts asked again of this node under the same key, by where the conversation was "
            + "found (none: the first attempt had opened nothing, a new one was opened)")
        .tag("found", found)
        .register(meters);
  }

  /**
   * The conversation of {@code start}'s key, once it is announced here (before it is routed): opened now,
   * or the one the key opened before. A start without a key (from a node of an earlier version) opens one.
   */
  CompletableFuture<Conversation> start(ForwardedCalls.StartArgs start, Queue queue) {
    String key = start.startKey();
    if (key == null) {
      return open(start, queue);
    }
    CompletableFuture<Conversation> mine = new CompletableFuture<>();
    CompletableFuture<Conversation> earlier = recent.asMap().putIfAbsent(key, mine);
    if (earlier != null) {
      fromMemory.increment();
      return earlier;
    }
    CompletableFuture<Conversation> outcome = start.repeated()
        ? opening.startedWith(start.tenantId(), key).thenCompose(found -> found.map(c -> {
          fromDatabase.increment();
          return CompletableFuture.completedFuture(c);
        }).orElseGet(() -> {
          opened.increment();
          return open(start, queue);
        }))
        : open(start, queue);
    outcome.whenComplete((c, failed) -> {
      if (failed != null) {
        // Nothing opened that can be told: the next attempt looks again (in the database, as a repeat).
        recent.asMap().remove(key, mine);
        mine.completeExceptionally(failed);
      } else {
        mine.complete(c);
      }
    });
    return mine;
  }

  private CompletableFuture<Conversation> open(ForwardedCalls.StartArgs start, Queue queue) {
    CompletableFuture<Conversation> announced = new CompletableFuture<>();
    opening.start(start.tenantId(), queue, start.customerId(), start.customerName(), start.first(),
        start.origin(), start.startKey(), announced::complete).whenComplete((c, failed) -> {
          if (failed != null) {
            announced.completeExceptionally(failed);
          }
        });
    return announced;
  }

  /** The owner's chat as a keyed start needs it ({@code ConversationStart}'s methods). */
  public interface Opening {
    /** Opens a conversation stored with {@code startKey} (null: none); {@code announce} sees it before it is routed. */
    CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
        Optional<FirstMessage> first, long originSession, String startKey, Consumer<Conversation> announce);

    /** The conversation a start under {@code startKey} opened, from the database. */
    CompletableFuture<Optional<Conversation>> startedWith(long tenantId, String startKey);
  }
}
