package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.sangdam.chat.Handoffs;
import io.sangdam.chat.Notice;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversations moved into a center another node owns, handed to that node: the node that committed
 * the move asks the center's owner to take the conversation up, by NATS request/reply, and asks again
 * until one answers that it has it.
 *
 * <p>Why a request and not the owner reacting to the {@code Moved} event it already receives: the
 * event says nothing to an owner that won the center a moment ago and read its conversations just
 * before the move committed, nor while it is still taking the center up; an answered request lets the
 * giving node ask again until an owner that holds the center says it has the conversation. It also
 * carries what is not in any event: the note for the next agent, and the system text that only the
 * center's owner may write (its message writer is fenced by the center). Should every try fail (no
 * owner for longer than {@link #GIVE_UP}, or this node dying meanwhile), the conversation waits in the
 * database under its new center, where the center's owner finds it at its next sweep
 * ({@link io.sangdam.chat.CenterOwnership#sweep}, every 30 s), or its next owner with the rest of the center.
 *
 * <p>Wire: a request on {@code sangdam.handoffs.<owner node>} with {@code {"v","conversation","center",
 * "note","notice"?:{"key","params"},"systemText"?}} (the notice's text); the answer {@code {"ok":true}} or {@code {"ok":false,"code","message"}} (code
 * {@code not_owner} while the center is not, or not yet, held there).
 */
public final class ConversationHandoffs implements Handoffs, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConversationHandoffs.class);
  /** The format of a hand-over; a node answers one of another version {@code bad_call}. */
  public static final int VERSION = 1;
  private static final String SUBJECT = "sangdam.handoffs.";
  /** Between two tries: a center's owner dying, and the next one taking the center up, take seconds. */
  static final Duration AGAIN = Duration.ofMillis(500);
  /** Several lease periods: past it the center's next owner finds the conversation in the database. */
  static final Duration GIVE_UP = Duration.ofMinutes(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Connection nats;
  private final String node;
  private final ForwardedCalls.CenterOwners owners;
  private final LongPredicate heldHere;
  private final LongFunction<CompletableFuture<Long>> published;
  private final ScheduledExecutorService timers;
  private final ObjectMapper json = ClusterJson.mapper();
  private volatile Function<Handoff, CompletableFuture<Void>> takeUp;
  private Dispatcher dispatcher;

  /**
   * @param owners which node owns a center now
   * @param heldHere whether this node's chat holds a center now (won, and taken up from the database)
   * @param published completes once this node's events of a conversation are in the stream (bound the wait)
   * @param timers where the next try waits; nothing blocks on it
   */
  public ConversationHandoffs(Connection nats, String node, ForwardedCalls.CenterOwners owners,
      LongPredicate heldHere, LongFunction<CompletableFuture<Long>> published, ScheduledExecutorService timers) {
    this.nats = requireNonNull(nats, "nats");
    this.node = requireNonNull(node, "node");
    this.owners = requireNonNull(owners, "owners");
    this.heldHere = requireNonNull(heldHere, "heldHere");
    this.published = requireNonNull(published, "published");
    this.timers = requireNonNull(timers, "timers");
  }

  /**
   * Starts taking up the conversations other nodes hand to this one, with {@code takeUp} (chat's
   * {@code CenterOwnership.adoptConversation}: built after the chat that hands over through this).
   */
  public void start(Function<Handoff, CompletableFuture<Void>> takeUp) {
    this.takeUp = requireNonNull(takeUp, "takeUp");
    dispatcher = nats.createDispatcher(this::answer);
    dispatcher.subscribe(SUBJECT + node);
  }

  @Override
  public boolean heldHere(long centerId) {
    return heldHere.test(centerId);
  }

  /** After this node's events of the conversation are in the stream, so the owner's follow them everywhere. */
  @Override
  public void handOver(Handoff handoff) {
    published.apply(handoff.conversationId()).whenComplete((position, e) -> attempt(handoff, System.nanoTime()));
  }

  private void attempt(Handoff handoff, long since) {
    CompletableFuture<Void> tried;
    try {
      tried = tryOnce(handoff);
    } catch (RuntimeException e) {
      tried = CompletableFuture.failedFuture(e);
    }
    tried.whenComplete((v, failed) -> {
      if (failed == null) {
        log.debug("conversation {} handed over to center {}", handoff.conversationId(), handoff.centerId());
        return;
      }
      if (System.nanoTime() - since > GIVE_UP.toNanos()) {
        log.error("conversation {} could not be handed to the owner of center {} ({}); it waits there in the "
            + "database for the center's next owner", handoff.conversationId(), handoff.centerId(), failed.toString());
        return;
      }
      // The owner table follows the leases by itself: the next try asks whoever owns the center by then.
      timers.schedule(() -> attempt(handoff, since), AGAIN.toMillis(), TimeUnit.MILLISECONDS);
    });
  }

  private CompletableFuture<Void> tryOnce(Handoff handoff) {
    Optional<String> owner = owners.ownerOf(handoff.centerId());
    if (owner.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException("center has no owner"));
    }
    if (!owner.get().equals(node)) {
      return ask(owner.get(), handoff);
    }
    Function<Handoff, CompletableFuture<Void>> here = takeUp;
    return heldHere.test(handoff.centerId()) && here != null ? here.apply(handoff)
        : CompletableFuture.failedFuture(new IllegalStateException("center not taken up here yet"));
  }

  private CompletableFuture<Void> ask(String owner, Handoff handoff) {
    ObjectNode request = json.createObjectNode();
    request.put("v", VERSION);
    request.put("conversation", handoff.conversationId());
    request.put("center", handoff.centerId());
    request.put("note", handoff.note());
    if (handoff.notice() != null) {
      // The text too, for a node of the version before notices, which reads only that during a rolling upgrade.
      request.put("systemText", handoff.notice().text());
      ObjectNode params = request.putObject("notice").put("key", handoff.notice().key()).putObject("params");
      handoff.notice().params().forEach(params::put);
    }
    byte[] body;
    try {
      body = json.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    return nats.requestWithTimeout(SUBJECT + owner, body, TIMEOUT).thenApply(reply -> {
      JsonNode answer;
      try {
        answer = json.readTree(reply.getData());
      } catch (IOException e) {
        throw new IllegalStateException("node " + owner + " answered a hand-over with nonsense");
      }
      if (!answer.path("ok").asBoolean()) {
        throw new IllegalStateException("node " + owner + " answered " + answer.path("code").asText() + ": "
            + answer.path("message").asText());
      }
      return null;
    });
  }

  /** The hand-over's system message, or null (none, or a node that sent only its text). */
  private static Notice notice(JsonNode notice) {
    if (!notice.isObject() || !notice.path("key").isTextual()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    notice.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    return new Notice(notice.get("key").asText(), params);
  }

  /** Another node's hand-over: taken up if this node holds the center, answered once routing has it. */
  private void answer(Message request) {
    Handoff handoff;
    try {
      JsonNode body = json.readTree(request.getData());
      if (body.path("v").asInt() != VERSION) {
        reply(request, failure("bad_call", "hand-over format " + body.path("v") + " is not " + VERSION));
        return;
      }
      handoff = new Handoff(body.path("conversation").asLong(), body.path("center").asLong(),
          body.hasNonNull("note") ? body.get("note").asText() : null,
          notice(body.path("notice")));
    } catch (IOException e) {
      log.warn("dropped a hand-over that does not parse: {}", e.getMessage());
      reply(request, failure("bad_call", "hand-over does not parse"));
      return;
    }
    if (!heldHere.test(handoff.centerId())) {
      reply(request, failure("not_owner", "not the owner of center " + handoff.centerId()));
      return;
    }
    CompletableFuture<Void> taken;
    try {
      taken = takeUp.apply(handoff);
    } catch (RuntimeException e) {
      taken = CompletableFuture.failedFuture(e);
    }
    taken.whenComplete((v, failed) -> {
      if (failed != null) {
        log.warn("could not take up conversation {} handed over to center {}", handoff.conversationId(),
            handoff.centerId(), failed);
      }
      reply(request, failed == null ? ok() : failure("unavailable", "the conversation could not be taken up"));
    });
  }

  private byte[] ok() {
    return bytes(json.createObjectNode().put("ok", true));
  }

  private byte[] failure(String code, String message) {
    return bytes(json.createObjectNode().put("ok", false).put("code", code).put("message", message));
  }

  private byte[] bytes(ObjectNode answer) {
    try {
      return json.writeValueAsBytes(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a hand-over's answer", e);
    }
  }

  private void reply(Message request, byte[] answer) {
    if (request.getReplyTo() != null) {
      nats.publish(request.getReplyTo(), answer);
    }
  }

  @Override
  public void close() {
    if (dispatcher != null) {
      nats.closeDispatcher(dispatcher);
    }
  }
}
