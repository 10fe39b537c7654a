package io.sangdam.bot;

import io.sangdam.bot.scenario.FaqMatcher;
import io.sangdam.bot.scenario.Scenario;
import java.util.Optional;

/**
 * What a tenant's bot says: the scenario that greets a conversation where it enters, every version a
 * conversation may still be walking, and the tenant's FAQ. Kept in the database by the tenant's admins and
 * read on every node; methods may block (call them off the hot threads).
 */
public interface BotLibrary {
  /**
   * The scenario, at its current version, that greets a new conversation entering at this center and queue
   * from {@code channel} ({@code web} for the widget): the most specific one set wins (the channel's, then
   * the queue's, then the center's); empty when none is, or the most specific says "no bot", and the conversation
   * waits for an agent at once.
   */
  Optional<Scenario> scenarioFor(long tenantId, long centerId, long queueId, String channel);

  /** A scenario at a given version: a conversation keeps the version it started on whatever is edited since. */
  Optional<Scenario> scenario(long tenantId, long scenarioId, int version);

  /** The tenant's FAQ as the scenario engine asks it ({@link FaqMatcher#NONE} when it has none). */
  FaqMatcher faq(long tenantId);
}
