package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.canned.CannedResponses;
import io.sangdam.chat.Participant;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An agent's {@code send}: {@code text}, or a canned response by {@code canned} (id) or
 * {@code shortcut} ("/refund"), filled on the server with {@code {customer.name}},
 * {@code {agent.name}} and {@code {center.name}}. Answered with {@code ack} once stored.
 */
final class SendAsAgent implements FrameHandler<AgentSession> {
  private final CannedResponses canned;
  private final Directory directory;
  private final Chat.OpenFor openFor;
  private final Chat.Send chat;
  private final Executor blocking;

  SendAsAgent(CannedResponses canned, Directory directory, Chat.OpenFor openFor, Chat.Send chat, Executor blocking) {
    this.canned = canned;
    this.directory = directory;
    this.openFor = openFor;
    this.chat = chat;
    this.blocking = blocking;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    Participant self = session.participant();
    String cmid = f.string("cmid", 64);
    long conversation = f.id("conversation");
    Optional<Long> cannedId = f.has("canned") ? Optional.of(f.id("canned")) : Optional.empty();
    Optional<String> shortcut = f.optString("shortcut", 33);
    CompletableFuture<String> text;
    Principal p = session.principal();
    if (cannedId.isEmpty() && shortcut.isEmpty()) {
      text = CompletableFuture.completedFuture(f.text("text"));
    } else if (p.centerId() == null) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "canned responses are for agents of a center");
    } else {
      text = CompletableFuture.supplyAsync(() -> {
        var response = cannedId.isPresent()
            ? canned.usableById(p.tenantId(), p.centerId(), p.id(), cannedId.get())
            : canned.byShortcut(p.tenantId(), p.centerId(), p.id(), shortcut.get());
        var c = openFor.openFor(self, conversation)
            .orElseThrow(() -> SangdamException.notFound("conversation " + conversation));
        String body = response.orElseThrow(() -> SangdamException.notFound(cannedId.isPresent()
            ? "canned response " + cannedId.get() : "shortcut " + shortcut.get())).body();
        String filled = CannedResponses.fill(body, Map.of("customer.name", c.customerName(), "agent.name",
            p.user().name(), "center.name", directory.center(p.centerId()).map(x -> x.name()).orElse("")));
        if (filled.codePointCount(0, filled.length()) > Fields.MAX_TEXT) {
          throw new SangdamException(ErrorCode.TOO_LONG, "the filled response is over " + Fields.MAX_TEXT
              + " characters");
        }
        return filled;
      }, blocking);
    }
    session.reply(rid, text.thenCompose(t -> chat.send(self, conversation, cmid, t, session.id())),
        m -> session.send(new ServerMessage.Ack(rid, m.conversationId(), cmid, m.seq())));
  }
}
