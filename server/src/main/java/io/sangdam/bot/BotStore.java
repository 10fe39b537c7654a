package io.sangdam.bot;

import java.util.List;
import java.util.Optional;

/**
 * What the bot keeps in the database: scenarios and their versions, the entries that say where each greets, and the
 * FAQ. Every method takes the tenant first and finds nothing of another tenant. Implemented in {@code store};
 * methods block.
 */
public interface BotStore {
  /** The tenant's scenarios, deleted ones left out. */
  List<SavedScenario> scenarios(long tenantId);

  /** Empty when the tenant has no such scenario, or it is deleted. */
  Optional<SavedScenario> scenario(long tenantId, long scenarioId);

  /** A new scenario at version 1. */
  SavedScenario create(long tenantId, String name, String body, Long userId, String userName);

  /** Version n+1 of the scenario, made current; empty when the tenant has no such scenario. */
  Optional<SavedScenario> save(long tenantId, long scenarioId, String name, String body, Long userId,
      String userName);

  /**
   * Deletes the scenario unless entries greet with it: then nothing changes, and those entries are returned (an
   * empty list: deleted). Its versions stay readable ({@link #version}) for the conversations walking one. Empty
   * when the tenant has no such scenario, or it is deleted already. Checked and deleted in one transaction holding
   * the scenario's row, so no entry set meanwhile is left greeting with a deleted scenario.
   */
  Optional<List<BotEntry>> deleteScenario(long tenantId, long scenarioId);

  /** Every version of a scenario, newest first, their bodies left out (an empty string). */
  List<ScenarioVersion> versions(long tenantId, long scenarioId);

  /** A version of the scenario, deleted or not: a conversation walks the version it started on to its end. */
  Optional<ScenarioVersion> version(long tenantId, long scenarioId, int version);

  /** Every entry of the tenant with its scenario's current version. */
  List<BotEntry> entries(long tenantId);

  /**
   * Sets (or replaces) the scenario of one place, exactly one of the place forms of {@link BotEntry}; {@code
   * scenarioId} null: "no bot here". False, and nothing set, when the tenant has no such scenario (or it is deleted).
   */
  boolean setEntry(long tenantId, Long centerId, Long queueId, Long channelId, Long scenarioId, Long userId);

  /** Whether there was an entry at that place to delete. */
  boolean deleteEntry(long tenantId, Long centerId, Long queueId, Long channelId);

  /** The tenant's FAQ, oldest first. */
  List<FaqItem> faq(long tenantId);

  Optional<FaqItem> faqItem(long tenantId, long id);

  /**
   * A new FAQ entry, unless the tenant already has {@code limit}: then empty. Counted and added in one transaction
   * that holds the tenant's row, so two admins adding at once never pass the limit together.
   */
  Optional<FaqItem> addFaq(long tenantId, String question, List<String> alternatives, String answer, boolean enabled,
      int limit);

  Optional<FaqItem> updateFaq(long tenantId, long id, String question, List<String> alternatives, String answer,
      boolean enabled);

  boolean deleteFaq(long tenantId, long id);
}
