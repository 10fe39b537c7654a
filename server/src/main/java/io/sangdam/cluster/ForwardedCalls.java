package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.sangdam.chat.Attachment;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.FirstMessage;
import io.sangdam.chat.Note;
import io.sangdam.chat.Participant;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Queue;
import io.sangdam.presence.ChatCalls;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.AgentAvailability;
import io.sangdam.routing.AgentProfile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of {@link ChatCalls} carried to the node that owns the conversation's center: a session
 * on any node asks, the owner carries the call out with its own chat (the one writer of that center's
 * conversations, so {@code seq} stays gapless without a lock in the database) and answers. A call for
 * a center this node owns, or one whose conversation it does not know (closed, or never seen: its own
 * chat answers {@code not_found} or the repeated ack), runs here without a hop.
 *
 * <p>The answer comes after the owner's events of that conversation were in the stream; before the asking
 * session is answered, this node waits until its share of the event stream has reached them
 * ({@link EventOrder}), so an ack never overtakes a push that came before it.
 *
 * <p>Wire: a request on {@code sangdam.calls.<owner node>} with {@code {"v","call","args"}}; the
 * answer {@code {"ok":true,"result","through"}} or {@code {"ok":false,"code","message"}}, with code
 * {@code not_owner} when the center moved meanwhile (the asker looks up the owner again once). This
 * class is the asking side and the wire; {@link CallAnswers} is the owner's.
 *
 * <p>A start is the one call that is not idempotent by itself (the client's {@code start} carries no id of
 * its own): this node gives it a key and asks again under that key while the owner does not answer
 * ({@link StartAttempts}); the owner answers a key it saw with the conversation it opened ({@link KeyedStarts}).
 */
public final class ForwardedCalls implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ForwardedCalls.class);
  /** The format of calls between nodes; a node answers a call of another version {@code bad_call}. */
  public static final int VERSION = 1;
  static final String SUBJECT = "sangdam.calls.";
  static final String NOT_OWNER = "not_owner";
  static final String BAD_CALL = "bad_call";
  /** The database's column for it is as wide ({@code conversation.start_key}). */
  private static final int MAX_START_KEY = 64;
  /**
   * Longer than any call takes on a healthy owner (a start waits for the database), and well under a
   * client's patience: an owner that died while carrying a call out is answered {@code unavailable}
   * in time for the client to send again to the center's next owner.
   */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Connection nats;
  private final String node;
  private final CenterOwners owners;
  private final LongPredicate ownsHere;
  private final LongFunction<OptionalLong> centerOf;
  private final Consumer<Conversation> learned;
  private final LongFunction<Optional<Queue>> queues;
  private final ChatCalls here;
  private final KeyedStarts starts;
  private final StartAttempts attempts;
  private final EventOrder order;
  private final ObjectMapper json;
  /** The owner's side: other nodes' calls for the centers this node owns. */
  private final CallAnswers answers;
  /** On the owner of a center: what every node reported of the center's agents. */
  private final AgentReports reports;
  /**
   * This node's reports of its agents, numbered from its start time in microseconds: a node that restarts
   * numbers its reports above every one it sent before.
   */
  private final AtomicLong reportNumbers = new AtomicLong(System.currentTimeMillis() * 1000);

  /**
   * @param owners which node owns a center now
   * @param ownsHere whether this node's chat holds a center now (won, and taken up from the database)
   * @param centerOf the center of an open conversation this node knows of
   * @param learned told of a conversation another node started for a session here
   * @param queues a queue by id, from the directory
   * @param here this node's own chat
   * @param starts this node's own chat's starts, under their keys
   * @param routingHere this node's own routing
   */
  public ForwardedCalls(Connection nats, String node, CenterOwners owners, LongPredicate ownsHere,
      LongFunction<OptionalLong> centerOf, Consumer<Conversation> learned, LongFunction<Optional<Queue>> queues,
      ChatCalls here, KeyedStarts starts, AgentAvailability routingHere, EventOrder order) {
    this.nats = requireNonNull(nats, "nats");
    this.node = requireNonNull(node, "node");
    this.owners = requireNonNull(owners, "owners");
    this.ownsHere = requireNonNull(ownsHere, "ownsHere");
    this.centerOf = requireNonNull(centerOf, "centerOf");
    this.learned = requireNonNull(learned, "learned");
    this.queues = requireNonNull(queues, "queues");
    this.here = requireNonNull(here, "here");
    this.reports = new AgentReports(requireNonNull(routingHere, "routingHere"));
    this.starts = requireNonNull(starts, "starts");
    this.attempts = new StartAttempts(StartAttempts.PATIENCE, TIMEOUT, System::nanoTime,
        pause -> CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS),
        () -> nats.getStatus() == Connection.Status.CONNECTED);
    this.order = requireNonNull(order, "order");
    this.json = ClusterJson.mapper();
    this.answers = new CallAnswers(nats, node, owners, ownsHere, centerOf, queues, here, starts, reports, order);
  }

  /** Starts answering other nodes' calls. */
  public void start() {
    answers.start();
  }

  /** The calls as this node's sessions make them: each carried out by the owner of its center. */
  public ChatCalls calls() {
    return new ChatCalls(
        (tenantId, queue, customerId, customerName, first, origin, announce) -> start(queue,
            new StartArgs(tenantId, queue.id(), customerId, customerName, first.map(FirstMessage::text).orElse(null),
                first.map(FirstMessage::cmid).orElse(null), origin, UUID.randomUUID().toString(), false), announce),
        (sender, conversationId, cmid, text, button, origin) -> forConversation(conversationId, "send",
            new SendArgs(sender, conversationId, cmid, text, button, origin), StoredMessage.class,
            () -> here.send().send(sender, conversationId, cmid, text, button, origin)),
        // The file is stored and recorded by the node that received it; only its announcement is the owner's.
        (sender, conversationId, cmid, text, attachment, origin) -> forConversation(conversationId, "sendFile",
            new SendFileArgs(sender, conversationId, cmid, text, attachment, origin), StoredMessage.class,
            () -> here.sendFile().send(sender, conversationId, cmid, text, attachment, origin)),
        (agentId, conversationId, categoryId, tags, origin) -> forConversation(conversationId, "close",
            new CloseArgs(agentId, conversationId, categoryId, tags, origin), String.class,
            () -> here.close().close(agentId, conversationId, categoryId, tags, origin)),
        (customerId, conversationId, origin) -> forConversation(conversationId, "leave",
            new LeaveArgs(customerId, conversationId, origin), String.class,
            () -> here.leave().leave(customerId, conversationId, origin)),
        agent -> forCenter(agent.centerId(), "waiting", new AgentArgs(agent, 0),
            json.getTypeFactory().constructCollectionType(List.class, Conversation.class),
            () -> here.waiting().waitingFor(agent)),
        (agent, conversationId) -> forCenter(agent.centerId(), "pick", new AgentArgs(agent, conversationId),
            json.constructType(Void.class), () -> here.pick().pick(agent, conversationId)),
        (authorId, conversationId, cmid, text, origin) -> forConversation(conversationId, "note",
            new NoteArgs(authorId, conversationId, cmid, text, origin), Note.class,
            () -> here.note().note(authorId, conversationId, cmid, text, origin)),
        (authorId, conversationId, cmid, text, origin) -> forConversation(conversationId, "whisper",
            new NoteArgs(authorId, conversationId, cmid, text, origin), Note.class,
            () -> here.whisper().note(authorId, conversationId, cmid, text, origin)),
        // A rating follows the end: the conversation is nobody's live state any more, any node stores it.
        here.rate(),
        (agentId, conversationId, target, note, origin) -> forConversation(conversationId, "toQueue",
            new ToQueueArgs(agentId, conversationId, target.id(), note.orElse(null), origin), Void.class,
            () -> here.toQueue().toQueue(agentId, conversationId, target, note, origin)),
        (agentId, conversationId, targetId, targetName, note, origin) -> forConversation(conversationId, "toAgent",
            new ToAgentArgs(agentId, conversationId, targetId, targetName, note.orElse(null), origin), Void.class,
            () -> here.toAgent().toAgent(agentId, conversationId, targetId, targetName, note, origin)),
        (agentId, conversationId, hold, origin) -> forConversation(conversationId, "hold",
            new HoldArgs(agentId, conversationId, hold, origin), Void.class,
            () -> here.hold().hold(agentId, conversationId, hold, origin)),
        (supervisorId, supervisorName, conversationId, origin) -> forConversation(conversationId, "takeOver",
            new TakeOverArgs(supervisorId, supervisorName, conversationId, origin), Conversation.class,
            () -> here.takeOver().takeOver(supervisorId, supervisorName, conversationId, origin)),
        (conversationId, targetId, targetName) -> forConversation(conversationId, "reassign",
            new ReassignArgs(conversationId, targetId, targetName), Void.class,
            () -> here.reassign().reassign(conversationId, targetId, targetName)),
        (tenantId, endpointId, conversationId, requestId, body) -> forConversation(conversationId, "botReply",
            new BotReplyArgs(tenantId, endpointId, conversationId, requestId, body), Void.class,
            () -> here.botReply().reply(tenantId, endpointId, conversationId, requestId, body)));
  }

  /**
   * Agents' availability, told to the routing of their center wherever it runs. Nobody answers a
   * failure: it is logged, and the agent's next status, a reconnect, or the center's next owner
   * asking every node again tells routing again. Each report names this node and carries its number
   * here, so the owner can put the reports of every node together ({@link AgentReports}).
   */
  public AgentAvailability availability() {
    return new AgentAvailability() {
      @Override
      public CompletableFuture<Void> agentAvailable(AgentProfile agent) {
        long number = reportNumbers.incrementAndGet();
        return tell(agent.centerId(), "available", new AvailableArgs(agent, node, number),
            () -> reports.available(agent, node, number));
      }

      @Override
      public CompletableFuture<Void> agentUnavailable(long centerId, long agentId, boolean connected,
          String awayReason) {
        long number = reportNumbers.incrementAndGet();
        return tell(centerId, "unavailable",
            new UnavailableArgs(centerId, agentId, connected, awayReason, node, number),
            () -> reports.unavailable(centerId, agentId, connected, awayReason, node, number));
      }
    };
  }

  /** On the owner: the center is being taken up here; the agents' reports made to its earlier owners start over. */
  public void centerTakenUp(long centerId) {
    reports.centerTakenUp(centerId);
  }

  /** On the owner: {@code name} left the cluster; the agents it alone had at work are offline. */
  public void nodeLeft(String name) {
    reports.nodeLeft(name);
  }

  /** Completes once the owner has it in line (it answers after posting it to its engine), or it could not be told. */
  private CompletableFuture<Void> tell(long centerId, String call, Object args, Runnable local) {
    // A center won here but still being taken up is told here: its new engine must know who is at work.
    if (owners.ownerOf(centerId).map(node::equals).orElse(false)) {
      local.run();
      return CompletableFuture.completedFuture(null);
    }
    try {
      return forCenter(centerId, call, args, json.constructType(Void.class), () -> {
        local.run();
        return CompletableFuture.completedFuture(null);
      }).handle((v, failed) -> {
        if (failed != null) {
          log.warn("routing of center {} was not told {}: {}", centerId, call, failed.toString());
        }
        return null;
      });
    } catch (SangdamException e) {
      log.warn("routing of center {} was not told {}: {}", centerId, call, e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * A start, under its key, at the owner of the queue's center as known at each attempt (this node,
   * or another). The owner answers as soon as the conversation exists (before it is routed), so this
   * node's session says {@code started} before any {@code queue} or {@code assigned} the stream brings
   * after it (the session holds them until then).
   */
  private CompletableFuture<Conversation> start(Queue queue, StartArgs first, Consumer<Conversation> announce) {
    return attempts.start((repeated, wait) -> {
      StartArgs args = new StartArgs(first.tenantId, first.queueId, first.customerId, first.customerName, first.text,
          first.cmid, first.origin, first.startKey, repeated);
      Optional<String> owner = remoteOwner(queue.centerId());
      if (owner.isEmpty()) {
        return starts.start(args, queue);
      }
      return ask(owner.get(), "start", args, json.constructType(Conversation.class), queue.centerId(), null, wait)
          .thenApply(c -> {
            Conversation started = (Conversation) c;
            // Known here before the session says started: its next call finds the owner at once.
            learned.accept(started);
            return started;
          });
    }).thenApply(started -> {
      announce.accept(started);
      return started;
    });
  }

  private <T> CompletableFuture<T> forConversation(long conversationId, String call, Object args, Class<T> result,
      CallHere<T> local) {
    OptionalLong center = centerOf.apply(conversationId);
    if (center.isEmpty()) {
      return local.call();
    }
    return forCenter(center.getAsLong(), call, args, json.constructType(result), local);
  }

  private <T> CompletableFuture<T> forCenter(long centerId, String call, Object args, JavaType result,
      CallHere<T> local) {
    Optional<String> owner = remoteOwner(centerId);
    if (owner.isEmpty()) {
      return local.call();
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<T> answered = (CompletableFuture<T>) ask(owner.get(), call, args, result, centerId,
        () -> onceMore(centerId, call, args, result, local), TIMEOUT);
    return answered;
  }

  /** After a {@code not_owner}: asked of the center's owner as now known, and not again after that. */
  private CompletableFuture<Object> onceMore(long centerId, String call, Object args, JavaType result,
      CallHere<?> local) {
    Optional<String> owner = remoteOwner(centerId);
    if (owner.isEmpty()) {
      return local.call().thenApply(value -> (Object) value);
    }
    return ask(owner.get(), call, args, result, centerId, null, TIMEOUT);
  }

  /**
   * The owner of a center when it is another node; empty when this node holds it. Nobody, or this
   * node before it has taken the center up: {@code unavailable}, for a few seconds at most.
   */
  private Optional<String> remoteOwner(long centerId) {
    if (ownsHere.test(centerId)) {
      return Optional.empty();
    }
    return owners.ownerOf(centerId).filter(owner -> !owner.equals(node)).map(Optional::of)
        .orElseThrow(() -> new SangdamException(ErrorCode.UNAVAILABLE, "this center is being taken over by "
            + "another server; try again in a few seconds"));
  }

  /**
   * Asks {@code owner}, waiting {@code wait} for its answer; if it says the center moved and {@code again}
   * is given, asks that instead.
   */
  private CompletableFuture<Object> ask(String owner, String call, Object args, JavaType result, long centerId,
      Supplier<? extends CompletableFuture<?>> again, Duration wait) {
    ObjectNode request = json.createObjectNode();
    request.put("v", VERSION);
    request.put("call", call);
    request.set("args", json.valueToTree(args));
    byte[] body;
    try {
      body = json.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode call " + call, e);
    }
    return nats.requestWithTimeout(SUBJECT + owner, body, wait)
        .handle((reply, failed) -> {
          if (failed != null) {
            throw unavailable(owner, failed);
          }
          return reply;
        })
        .thenCompose(reply -> {
          JsonNode answer = read(reply);
          if (answer.path("ok").asBoolean()) {
            Object value = answer.hasNonNull("result") ? json.convertValue(answer.get("result"), result) : null;
            return order.deliveredThrough(answer.path("through").asLong()).thenApply(v -> value);
          }
          String code = answer.path("code").asText();
          if (NOT_OWNER.equals(code)) {
            owners.forget(centerId);
            if (again != null) {
              return again.get().thenApply(value -> (Object) value);
            }
          }
          throw new SangdamException(errorCode(code), answer.path("message").asText());
        });
  }

  private JsonNode read(Message reply) {
    try {
      return json.readTree(reply.getData());
    } catch (java.io.IOException e) {
      throw new SangdamException(ErrorCode.UNAVAILABLE, "the server owning this conversation answered nonsense");
    }
  }

  private static SangdamException unavailable(String owner, Throwable failed) {
    log.warn("node {} did not answer a call: {}", owner, failed.toString());
    return new SangdamException(ErrorCode.UNAVAILABLE, "the server owning this conversation does not answer; try "
        + "again in a few seconds");
  }

  private static ErrorCode errorCode(String code) {
    for (ErrorCode c : ErrorCode.values()) {
      if (c.wire().equals(code)) {
        return c;
      }
    }
    return ErrorCode.UNAVAILABLE;
  }

  @Override
  public void close() {
    answers.close();
  }

  /** Which node owns each center, as the center leases say. */
  public interface CenterOwners {
    /** The owner of {@code centerId} now; empty while nobody does (its owner died and no node has taken it yet). */
    Optional<String> ownerOf(long centerId);

    /** What this node knew of the center's owner proved stale: read it again before the next call. */
    void forget(long centerId);
  }

  /** Where this node's share of the event stream stands, so an answer never overtakes the pushes before it. */
  public interface EventOrder {
    /** The stream position of the last event this node published of the conversation (0: none, or no conversation). */
    CompletableFuture<Long> published(long conversationId);

    /** Completes once this node has handed every other node's event up to {@code position} to its sessions. */
    CompletableFuture<Void> deliveredThrough(long position);
  }

  @FunctionalInterface
  private interface CallHere<T> {
    CompletableFuture<T> call();
  }

  /**
   * {@code startKey}: given by the asking node, the same in each attempt of one start (absent from a node of an
   * earlier version); {@code repeated}: from the second attempt on, when the owner looks the key up in the database.
   * {@code text} and {@code cmid}: the opening message, if any ({@code cmid} absent from a node of an earlier version).
   */
  record StartArgs(long tenantId, long queueId, long customerId, String customerName, String text, String cmid,
      long origin, String startKey, boolean repeated) {
    StartArgs {
      if (startKey != null && (startKey.isEmpty() || startKey.length() > MAX_START_KEY
          || !startKey.chars().allMatch(ch -> ch > ' ' && ch < 127))) {
        throw new IllegalArgumentException("startKey must be 1 to " + MAX_START_KEY + " printable ASCII characters");
      }
    }

    Optional<FirstMessage> first() {
      return Optional.ofNullable(text).map(t -> new FirstMessage(t, cmid));
    }
  }

  /** {@code button}: null from a node of a version before bots, as when none was chosen. */
  record SendArgs(Participant sender, long conversationId, String cmid, String text, String button, long origin) {}

  record SendFileArgs(Participant sender, long conversationId, String cmid, String text, Attachment attachment,
      long origin) {}

  record CloseArgs(long agentId, long conversationId, Long categoryId, List<String> tags, long origin) {}

  record LeaveArgs(long customerId, long conversationId, long origin) {}

  record AgentArgs(AgentProfile agent, long conversationId) {}

  /** {@code node}: the node whose sessions this is about; {@code number}: its count of its reports. */
  record AvailableArgs(AgentProfile agent, String node, long number) {
    AvailableArgs {
      if (agent == null || node == null) {
        throw new IllegalArgumentException("an agent's availability names the agent and the node");
      }
    }
  }

  /** {@code awayReason}: the away reason's code when AWAY with one, else null (also from a node that predates reasons). */
  record UnavailableArgs(long centerId, long agentId, boolean connected, String awayReason, String node, long number) {
    UnavailableArgs {
      if (node == null) {
        throw new IllegalArgumentException("an agent's availability names the node");
      }
    }
  }

  record NoteArgs(long authorId, long conversationId, String cmid, String text, long origin) {}

  record ToQueueArgs(long agentId, long conversationId, long targetQueueId, String note, long origin) {}

  record ToAgentArgs(long agentId, long conversationId, long targetId, String targetName, String note, long origin) {}

  record HoldArgs(long agentId, long conversationId, boolean hold, long origin) {}

  record TakeOverArgs(long supervisorId, String supervisorName, long conversationId, long origin) {}

  record ReassignArgs(long conversationId, long targetId, String targetName) {}

  record BotReplyArgs(long tenantId, long endpointId, long conversationId, String requestId, String body) {}
}
