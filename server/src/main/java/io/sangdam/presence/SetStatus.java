package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.directory.AwayReason;
import io.sangdam.directory.AwayReasons;
import io.sangdam.protocol.Fields;
import java.util.Optional;

/**
 * {@code status}: the agent goes ONLINE (routed chats), AWAY (with one of the tenant's away reasons,
 * or none) or OFFLINE; every console of theirs is told. A reason with another status than AWAY, or
 * one the tenant does not have in use, is {@code invalid_field}.
 */
final class SetStatus implements FrameHandler<AgentSession> {
  private final Sessions sessions;
  private final AwayReasons awayReasons;

  SetStatus(Sessions sessions, AwayReasons awayReasons) {
    this.sessions = sessions;
    this.awayReasons = awayReasons;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    AgentStatus status = f.oneOf("status", AgentStatus.class);
    Optional<String> reason = f.optString("reason", 32);
    if (reason.isEmpty()) {
      sessions.setStatus(session.profile(), status, null, session, rid);
      return;
    }
    if (status != AgentStatus.AWAY) {
      throw Fields.invalid("reason", "goes with status AWAY only");
    }
    session.reply(rid, awayReasons.usable(session.principal().tenantId(), reason.get()),
        (AwayReason r) -> sessions.setStatus(session.profile(), status, r.code(), session, rid));
  }
}
