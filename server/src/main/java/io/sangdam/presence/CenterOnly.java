package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;

/**
 * A frame only a user of a center sends (routing, chatting as an agent): tenant and HQ admins
 * connect to the console only to supervise, and are refused before the handler runs.
 */
final class CenterOnly implements FrameHandler<AgentSession> {
  private final String type;
  private final FrameHandler<? super AgentSession> handler;

  CenterOnly(String type, FrameHandler<? super AgentSession> handler) {
    this.type = type;
    this.handler = handler;
  }

  @Override
  public void handle(AgentSession session, Fields frame, JsonNode rid) {
    if (session.principal().centerId() == null) {
      throw new SangdamException(ErrorCode.FORBIDDEN, type + " is for agents of a center");
    }
    handler.handle(session, frame, rid);
  }
}
