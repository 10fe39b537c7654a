package io.sangdam.search;

import io.sangdam.chat.Note;
import io.sangdam.chat.StoredMessage;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads conversations for search and transcripts. Implemented in {@code store}; methods block. */
public interface SearchStore {
  /**
   * Conversations matching {@code criteria}, newest first, after the cursor, at most {@code limit}. The text is not
   * looked for here ({@link MessageIndex} finds it): {@code among}, when not null, are the conversations that hold
   * it, and only those of them whose messages were not erased are returned.
   */
  List<Found> search(Criteria criteria, Collection<Long> among, int limit);

  Optional<Found> conversation(long id);

  /** The whole transcript, in order (a conversation holds at most a few thousand messages). */
  List<StoredMessage> transcript(long conversationId);

  List<Note> notes(long conversationId);

  List<String> tags(long conversationId);

  /** Whether the agent carries or ever carried the conversation. */
  boolean wasAssigned(long conversationId, long agentId);

  /**
   * What to look for; null fields do not narrow. {@code carriedBy}: only conversations this agent
   * carried at some time. {@code centerIds}: any of these centers (a scope of several). {@code customer}: part of the customer's name or contact. {@code text}:
   * part of any message. {@code channels}: only conversations from these ({@code web} and channel codes;
   * empty: none). The cursor is the last result of the previous page.
   */
  record Criteria(long tenantId, Long centerId, Set<Long> centerIds, Long queueId, Long agentId, Long carriedBy,
      String state, Instant from, Instant to, Long categoryId, String customer, String text, Set<String> channels,
      Instant afterCreatedAt, Long afterId) {
    public Criteria {
      channels = channels == null ? null : Set.copyOf(channels);
      centerIds = centerIds == null ? null : Set.copyOf(centerIds);
    }
  }

  /** A conversation as search shows it, before masking; {@code channel}: {@code web} or a channel's code. */
  record Found(long id, long tenantId, long centerId, long queueId, long customerId, String customerName,
      String customerContact, Long agentId, String state, Instant createdAt, Instant assignedAt, Instant closedAt,
      String closeReason, Long categoryId, int transfers, Integer csatScore, String csatComment, String channel) {}
}
