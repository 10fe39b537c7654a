package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;

/** {@code status}: the agent goes ONLINE (routed chats), AWAY or OFFLINE; every console of theirs is told. */
final class SetStatus implements FrameHandler<AgentSession> {
  private final Sessions sessions;

  SetStatus(Sessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    sessions.setStatus(session.profile(), f.oneOf("status", AgentStatus.class), session, rid);
  }
}
