package io.sangdam.api;

import io.sangdam.bot.BotConversations;
import io.sangdam.bot.BotEndpoint;
import io.sangdam.bot.BotEndpoints;
import io.sangdam.bot.ExternalBotAnswers;
import io.sangdam.bot.scenario.ExternalAnswer;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.List;
import java.util.Map;

/**
 * An external bot's later answer (docs/protocol.md, "External bot webhook"): {@code POST
 * /api/bot/conversations/{id}/reply} with the endpoint's bearer token and the answer's body plus {@code inReplyTo}.
 * 401 for a token that is no enabled endpoint's, 404 for a conversation of another tenant (or none), 422 for a body
 * that does not read (the bot may send it again, corrected, while the reply is awaited), 409 when the conversation
 * awaits no such reply. Carried out by the conversation's bot on the node that owns its center.
 */
public final class BotReplyEndpoints implements Endpoints {
  private static final int MAX_REQUEST_ID = 64;

  private final BotEndpoints endpoints;
  private final BotConversations bots;

  public BotReplyEndpoints(BotEndpoints endpoints, BotConversations bots) {
    this.endpoints = endpoints;
    this.bots = bots;
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
    return ApiResponse.later(bots.replied(endpoint, conversationId, requestId, answer).thenApply(outcome -> switch (outcome) {
      case TAKEN -> ApiResponse.ok(Map.of("conversation", conversationId, "inReplyTo", requestId));
      case NO_CONVERSATION -> throw SangdamException.notFound("conversation " + conversationId);
      case NOT_AWAITED -> throw new SangdamException(ErrorCode.CONFLICT, "conversation " + conversationId
          + " awaits no reply to '" + requestId + "': answered already, given up on, or moved on from the bot");
    }));
  }
}
