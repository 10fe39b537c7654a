package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

/**
 * This node's copy of the open conversations other nodes own, kept from their events: so a session
 * here can tell whom a conversation belongs to (typing, read, who may send) and which node to ask,
 * without a query. Every event carries the conversation as it is after the change; an end removes it.
 * A conversation this node owns is left alone: here its live state is the original.
 */
public final class ConversationMirror implements ConversationEvents.Subscriber {
  private final LiveConversations live;

  public ConversationMirror(LiveConversations live) {
    this.live = requireNonNull(live, "live");
  }

  @Override
  public void on(ConversationEvent event) {
    if (event instanceof ConversationEvent.Closed e) {
      live.dropCopy(e.conversationId());
    } else if (event instanceof ConversationEvent.Started e) {
      keep(e.conversation());
    } else if (event instanceof ConversationEvent.Queued e) {
      keep(e.conversation());
    } else if (event instanceof ConversationEvent.Assigned e) {
      keep(e.conversation());
    } else if (event instanceof ConversationEvent.MessageStored e) {
      keep(e.conversation());
    } else if (event instanceof ConversationEvent.Noted e) {
      keep(e.conversation());
    } else if (event instanceof ConversationEvent.Transferred e) {
      keep(e.conversation());
    } else if (event instanceof ConversationEvent.Held e) {
      keep(e.conversation());
    } else if (event instanceof ConversationEvent.Moved e) {
      keep(e.conversation());
    } else if (event instanceof ConversationEvent.CustomerPresence e) {
      keep(e.conversation());
    } else if (event instanceof ConversationEvent.WaitingAdded e) {
      keep(e.conversation());
    }
    // Rated follows the end and WaitingRemoved changes no conversation: nothing to keep.
  }

  /** A conversation another node started for a session here, known before its first event arrives. */
  public void learned(Conversation c) {
    keep(c);
  }

  private void keep(Conversation c) {
    live.keepCopy(c);
  }
}
