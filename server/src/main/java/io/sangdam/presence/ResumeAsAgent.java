package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Participant;
import io.sangdam.protocol.Fields;

/**
 * An agent's or supervisor's {@code resume}: the messages after {@code afterSeq}, then
 * {@code resumed}. A watcher reads as a supervisor while the conversation stays in their scope,
 * checked again for every page: it may have moved out of it.
 */
final class ResumeAsAgent implements FrameHandler<AgentSession> {
  private final Sessions sessions;
  private final Chat.Lookup lookup;
  private final Chat.Replays replays;
  private final Chat.SupervisorReplays supervisorReplays;

  ResumeAsAgent(Sessions sessions, Chat.Lookup lookup, Chat.Replays replays, Chat.SupervisorReplays supervisorReplays) {
    this.sessions = sessions;
    this.lookup = lookup;
    this.replays = replays;
    this.supervisorReplays = supervisorReplays;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    Participant self = session.participant();
    long conversation = f.id("conversation");
    long afterSeq = f.nonNegative("afterSeq");
    session.replay(rid, conversation, afterSeq, after -> sessions.watching(conversation, session)
        ? lookup.lookup(conversation).thenCompose(c -> sessions.watching(c, session)
            ? supervisorReplays.replayForSupervisor(conversation, after)
            : replays.replay(self, conversation, after))
        : replays.replay(self, conversation, after));
  }
}
