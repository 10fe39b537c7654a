package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.sangdam.chat.Conversation;
import io.sangdam.cluster.ForwardedCalls.AgentArgs;
import io.sangdam.cluster.ForwardedCalls.AvailableArgs;
import io.sangdam.cluster.ForwardedCalls.BotReplyArgs;
import io.sangdam.cluster.ForwardedCalls.CenterOwners;
import io.sangdam.cluster.ForwardedCalls.CloseArgs;
import io.sangdam.cluster.ForwardedCalls.EventOrder;
import io.sangdam.cluster.ForwardedCalls.HoldArgs;
import io.sangdam.cluster.ForwardedCalls.LeaveArgs;
import io.sangdam.cluster.ForwardedCalls.NoteArgs;
import io.sangdam.cluster.ForwardedCalls.ReassignArgs;
import io.sangdam.cluster.ForwardedCalls.SendArgs;
import io.sangdam.cluster.ForwardedCalls.SendFileArgs;
import io.sangdam.cluster.ForwardedCalls.StartArgs;
import io.sangdam.cluster.ForwardedCalls.TakeOverArgs;
import io.sangdam.cluster.ForwardedCalls.ToAgentArgs;
import io.sangdam.cluster.ForwardedCalls.ToQueueArgs;
import io.sangdam.cluster.ForwardedCalls.UnavailableArgs;
import io.sangdam.directory.Queue;
import io.sangdam.presence.ChatCalls;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's side of {@link ForwardedCalls}: other nodes' calls, taken on {@code sangdam.calls.<this
 * node>}, carried out by this node's chat when it owns the center (else answered {@code not_owner}, or
 * {@code unavailable} while it is still taking the center up), and answered once this node's events of
 * the conversation are in the stream.
 */
final class CallAnswers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallAnswers.class);

  private final Connection nats;
  private final String node;
  private final CenterOwners owners;
  private final LongPredicate ownsHere;
  private final LongFunction<OptionalLong> centerOf;
  private final LongFunction<Optional<Queue>> queues;
  private final ChatCalls here;
  private final KeyedStarts starts;
  private final AgentReports reports;
  private final EventOrder order;
  private final ObjectMapper json = ClusterJson.mapper();
  private final Map<String, Handler> handlers = handlers();
  private Dispatcher dispatcher;

  CallAnswers(Connection nats, String node, CenterOwners owners, LongPredicate ownsHere,
      LongFunction<OptionalLong> centerOf, LongFunction<Optional<Queue>> queues, ChatCalls here, KeyedStarts starts,
      AgentReports reports, EventOrder order) {
    this.nats = requireNonNull(nats, "nats");
    this.node = requireNonNull(node, "node");
    this.owners = requireNonNull(owners, "owners");
    this.ownsHere = requireNonNull(ownsHere, "ownsHere");
    this.centerOf = requireNonNull(centerOf, "centerOf");
    this.queues = requireNonNull(queues, "queues");
    this.here = requireNonNull(here, "here");
    this.starts = requireNonNull(starts, "starts");
    this.reports = requireNonNull(reports, "reports");
    this.order = requireNonNull(order, "order");
  }

  void start() {
    dispatcher = nats.createDispatcher(this::answer);
    dispatcher.subscribe(ForwardedCalls.SUBJECT + node);
  }

  /** Another node's call: carried out here if this node owns the center, answered when done. */
  private void answer(Message request) {
    String call = "?";
    try {
      JsonNode body = json.readTree(request.getData());
      call = body.path("call").asText();
      if (body.path("v").asInt() != ForwardedCalls.VERSION) {
        reply(request, failure(ForwardedCalls.BAD_CALL, "call format " + body.path("v") + " is not " + ForwardedCalls.VERSION));
        return;
      }
      Handler handler = handlers.get(call);
      if (handler == null) {
        reply(request, failure(ForwardedCalls.BAD_CALL, "unknown call " + call));
        return;
      }
      long named = body.path("args").path("conversationId").asLong(0);
      handler.handle(body.path("args"))
          .thenCompose(result -> order.published(result instanceof Conversation c ? c.id() : named)
              .thenApply(through -> success(result, through)))
          .whenComplete((answer, failed) -> reply(request, failed == null ? answer : failure(failed)));
    } catch (NotOwner e) {
      reply(request, failure(ForwardedCalls.NOT_OWNER, "not the owner of center " + e.centerId));
    } catch (SangdamException e) {
      reply(request, failure(e));
    } catch (java.io.IOException | IllegalArgumentException e) {
      log.warn("dropped a call that does not parse ({}): {}", call, e.getMessage());
      reply(request, failure(ForwardedCalls.BAD_CALL, "call does not parse"));
    } catch (RuntimeException e) {
      log.error("call {} failed", call, e);
      reply(request, failure(e));
    }
  }

  private Map<String, Handler> handlers() {
    return Map.ofEntries(
        Map.entry("start", args -> {
          StartArgs a = json.treeToValue(args, StartArgs.class);
          Queue queue = queues.apply(a.queueId()).orElseThrow(() -> notFound("queue"));
          owned(queue.centerId());
          return starts.start(a, queue).thenApply(c -> c);
        }),
        Map.entry("send", args -> {
          SendArgs a = json.treeToValue(args, SendArgs.class);
          ownedConversation(a.conversationId());
          return here.send().send(a.sender(), a.conversationId(), a.cmid(), a.text(), a.button(), a.origin()).thenApply(m -> m);
        }),
        Map.entry("sendFile", args -> {
          SendFileArgs a = json.treeToValue(args, SendFileArgs.class);
          ownedConversation(a.conversationId());
          return here.sendFile().send(a.sender(), a.conversationId(), a.cmid(), a.text(), a.attachment(), a.origin())
              .thenApply(m -> m);
        }),
        Map.entry("close", args -> {
          CloseArgs a = json.treeToValue(args, CloseArgs.class);
          ownedConversation(a.conversationId());
          return here.close().close(a.agentId(), a.conversationId(), a.categoryId(), a.tags(), a.origin()).thenApply(r -> r);
        }),
        Map.entry("leave", args -> {
          LeaveArgs a = json.treeToValue(args, LeaveArgs.class);
          ownedConversation(a.conversationId());
          return here.leave().leave(a.customerId(), a.conversationId(), a.origin()).thenApply(r -> r);
        }),
        Map.entry("waiting", args -> {
          AgentArgs a = json.treeToValue(args, AgentArgs.class);
          owned(a.agent().centerId());
          return here.waiting().waitingFor(a.agent()).thenApply(list -> list);
        }),
        Map.entry("pick", args -> {
          AgentArgs a = json.treeToValue(args, AgentArgs.class);
          owned(a.agent().centerId());
          return here.pick().pick(a.agent(), a.conversationId()).thenApply(v -> null);
        }),
        Map.entry("available", args -> {
          AvailableArgs a = json.treeToValue(args, AvailableArgs.class);
          owned(a.agent().centerId());
          reports.available(a.agent(), a.node(), a.number());
          return CompletableFuture.completedFuture(null);
        }),
        Map.entry("unavailable", args -> {
          UnavailableArgs a = json.treeToValue(args, UnavailableArgs.class);
          owned(a.centerId());
          reports.unavailable(a.centerId(), a.agentId(), a.connected(), a.awayReason(), a.node(), a.number());
          return CompletableFuture.completedFuture(null);
        }),
        Map.entry("note", args -> {
          NoteArgs a = json.treeToValue(args, NoteArgs.class);
          ownedConversation(a.conversationId());
          return here.note().note(a.authorId(), a.conversationId(), a.cmid(), a.text(), a.origin()).thenApply(n -> n);
        }),
        Map.entry("whisper", args -> {
          NoteArgs a = json.treeToValue(args, NoteArgs.class);
          ownedConversation(a.conversationId());
          return here.whisper().note(a.authorId(), a.conversationId(), a.cmid(), a.text(), a.origin()).thenApply(n -> n);
        }),
        Map.entry("toQueue", args -> {
          ToQueueArgs a = json.treeToValue(args, ToQueueArgs.class);
          ownedConversation(a.conversationId());
          Queue target = queues.apply(a.targetQueueId()).orElseThrow(() -> notFound("queue"));
          return here.toQueue().toQueue(a.agentId(), a.conversationId(), target, Optional.ofNullable(a.note()), a.origin())
              .thenApply(v -> null);
        }),
        Map.entry("toAgent", args -> {
          ToAgentArgs a = json.treeToValue(args, ToAgentArgs.class);
          ownedConversation(a.conversationId());
          return here.toAgent().toAgent(a.agentId(), a.conversationId(), a.targetId(), a.targetName(),
              Optional.ofNullable(a.note()), a.origin()).thenApply(v -> null);
        }),
        Map.entry("hold", args -> {
          HoldArgs a = json.treeToValue(args, HoldArgs.class);
          ownedConversation(a.conversationId());
          return here.hold().hold(a.agentId(), a.conversationId(), a.hold(), a.origin()).thenApply(v -> null);
        }),
        Map.entry("takeOver", args -> {
          TakeOverArgs a = json.treeToValue(args, TakeOverArgs.class);
          ownedConversation(a.conversationId());
          return here.takeOver().takeOver(a.supervisorId(), a.supervisorName(), a.conversationId(), a.origin())
              .thenApply(c -> c);
        }),
        Map.entry("reassign", args -> {
          ReassignArgs a = json.treeToValue(args, ReassignArgs.class);
          ownedConversation(a.conversationId());
          return here.reassign().reassign(a.conversationId(), a.targetId(), a.targetName()).thenApply(v -> null);
        }),
        Map.entry("botReply", args -> {
          BotReplyArgs a = json.treeToValue(args, BotReplyArgs.class);
          ownedConversation(a.conversationId());
          return here.botReply().reply(a.tenantId(), a.endpointId(), a.conversationId(), a.requestId(), a.body())
              .thenApply(v -> null);
        }));
  }

  private void owned(long centerId) {
    if (ownsHere.test(centerId)) {
      return;
    }
    if (owners.ownerOf(centerId).map(node::equals).orElse(false)) {
      // Won here, still being taken up from the database: asking again elsewhere would come back here.
      throw new SangdamException(ErrorCode.UNAVAILABLE, "this center is being taken over; try again in a few "
          + "seconds");
    }
    throw new NotOwner(centerId);
  }

  private void ownedConversation(long conversationId) {
    OptionalLong center = centerOf.apply(conversationId);
    if (center.isPresent()) {
      owned(center.getAsLong());
    }
  }

  private byte[] success(Object result, long through) {
    ObjectNode answer = json.createObjectNode();
    answer.put("ok", true);
    answer.set("result", json.valueToTree(result));
    answer.put("through", through);
    return bytes(answer);
  }

  private byte[] failure(Throwable failed) {
    Throwable cause = failed instanceof CompletionException && failed.getCause() != null ? failed.getCause() : failed;
    if (cause instanceof NotOwner n) {
      return failure(ForwardedCalls.NOT_OWNER, "not the owner of center " + n.centerId);
    }
    if (cause instanceof SangdamException e) {
      return failure(e.code().wire(), e.getMessage());
    }
    log.error("a call from another node failed", cause);
    return failure(ErrorCode.UNAVAILABLE.wire(), "the call failed on the server owning this conversation");
  }

  private byte[] failure(String code, String message) {
    ObjectNode answer = json.createObjectNode();
    answer.put("ok", false);
    answer.put("code", code);
    answer.put("message", message);
    return bytes(answer);
  }

  private byte[] bytes(ObjectNode answer) {
    try {
      return json.writeValueAsBytes(answer);
    } catch (JsonProcessingException e) {
      return ("{\"ok\":false,\"code\":\"unavailable\",\"message\":\"cannot encode the answer\"}")
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  private void reply(Message request, byte[] answer) {
    if (request.getReplyTo() != null) {
      nats.publish(request.getReplyTo(), answer);
    }
  }

  private static SangdamException notFound(String what) {
    return new SangdamException(ErrorCode.NOT_FOUND, what + " not found");
  }

  @Override
  public void close() {
    if (dispatcher != null) {
      nats.closeDispatcher(dispatcher);
    }
  }

  @FunctionalInterface
  private interface Handler {
    CompletableFuture<Object> handle(JsonNode args) throws java.io.IOException;
  }

  private static final class NotOwner extends RuntimeException {
    private final long centerId;

    NotOwner(long centerId) {
      super(null, null, false, false);
      this.centerId = centerId;
    }
  }
}
