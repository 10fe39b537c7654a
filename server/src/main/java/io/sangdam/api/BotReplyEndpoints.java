package io.sangdam.api;

import io.sangdam.bot.BotEndpoint;
import io.sangdam.bot.BotEndpoints;
import io.sangdam.bot.ExternalBotAnswers;
import io.sangdam.bot.scenario.ExternalAnswer;
import io.sangdam.presence.Chat;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An external bot's later answer (docs/protocol.md, "External bot webhook"): {@code POST
 * /api/bot/conversations/{id}/reply} with the endpoint's bearer token and the answer's body plus {@code inReplyTo}.
 * 401 for a token that is no enabled endpoint's, 404 for a conversation of another tenant (or none), 422 for a body
 * that does not read (the bot may send it again, corrected, while the reply is awaited), 409 when the conversation
 * awaits no such reply. Carried out by the conversation's bot on the node that owns its center, wherever it arrives.
 */
public final class BotReplyEndpoints implements Endpoints {
  private static final int MAX_REQUEST_ID = 64;

  private final BotEndpoints endpoints;
  private final Chat.BotReply botReply;

  /** {@code botReply}: carried out where the conversation's center is owned (forwarded there on many nodes). */
  public BotReplyEndpoints(BotEndpoints endpoints, Chat.BotReply botReply) {
    this.endpoints = endpoints;
    this.botReply = botReply;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route("POST", "/api/bot/conversations/{id}/reply", false, this::reply));
  }

  private ApiResponse reply(Call call) {
    String header = call.request().authorization();
    BotEndpoint endpoint = (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) ? null
        : endpoints.byToken(header.substring(7).trim()).filter(BotEndpoint::enabled).orElse(null));
    if (endpoint == null) {
      throw new SangdamException(ErrorCode.UNAUTHORIZED, "an Authorization: Bearer <token> header with the token of "
          + "an enabled bot endpoint is required");
    }
    long conversationId;
    try {
      conversationId = Long.parseLong(call.param("id"));
    } catch (NumberFormatException e) {
      throw SangdamException.notFound("conversation " + call.param("id"));
    }
    String requestId = call.body().string("inReplyTo", MAX_REQUEST_ID);
    ExternalAnswer answer = ExternalBotAnswers.read(call.request().body());
    if (answer instanceof ExternalAnswer.Failed f) {
      throw Fields.invalid("answer", f.why());
    }
    return ApiResponse.later(botReply.reply(endpoint.tenantId(), endpoint.id(), conversationId, requestId,
        new String(call.request().body(), StandardCharsets.UTF_8))
        .thenApply(x -> ApiResponse.ok(Map.of("conversation", conversationId, "inReplyTo", requestId))));
  }
}
