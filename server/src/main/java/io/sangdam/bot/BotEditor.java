package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.bot.scenario.InvalidScenarioException;
import io.sangdam.bot.scenario.Scenario;
import io.sangdam.bot.scenario.ScenarioProblem;
import io.sangdam.bot.scenario.Targets;
import io.sangdam.changes.Change;
import io.sangdam.changes.Changes;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one path of an admin's changes to a tenant's bot: a scenario saved (checked first, every problem named by its
 * node) or deleted, where one greets (or that no bot does), the FAQ. Each change is stored, then the tenant's cached bot is dropped on this node, then
 * the change is announced to the others. Methods block on the database.
 */
public final class BotEditor {
  private final BotStore store;
  private final CachedBotLibrary library;
  private final Directory directory;
  private final Changes changes;

  public BotEditor(BotStore store, CachedBotLibrary library, Directory directory, Changes changes) {
    this.store = requireNonNull(store, "store");
    this.library = requireNonNull(library, "library");
    this.directory = requireNonNull(directory, "directory");
    this.changes = requireNonNull(changes, "changes");
  }

  /** A place a scenario may greet at, as {@link BotEntry} describes them; {@code homeCenterId}: its center. */
  public record Place(Long centerId, Long queueId, Long channelId, long homeCenterId) {
    public static Place center(long centerId) {
      return new Place(centerId, null, null, centerId);
    }

    public static Place queue(long centerId, long queueId) {
      return new Place(centerId, queueId, null, centerId);
    }

    public static Place channel(long channelId, long channelCenterId) {
      return new Place(null, null, channelId, channelCenterId);
    }
  }

  // --- scenarios

  public List<SavedScenario> scenarios(long tenantId) {
    return store.scenarios(tenantId);
  }

  public Optional<SavedScenario> scenario(long tenantId, long scenarioId) {
    return store.scenario(tenantId, scenarioId);
  }

  public List<ScenarioVersion> versions(long tenantId, long scenarioId) {
    return store.versions(tenantId, scenarioId);
  }

  public Optional<ScenarioVersion> version(long tenantId, long scenarioId, int version) {
    return store.version(tenantId, scenarioId, version);
  }

  /**
   * Every problem of a scenario for this tenant, none when it would be saved: its own (a button to nowhere, a loop
   * with no exit) and then the centers and queues it names that the tenant does not have, checked against the centers
   * where {@code scenarioId} (0 for a new one) greets now, or any center of the tenant when it greets nowhere yet.
   */
  public List<ScenarioProblem> problems(long tenantId, long scenarioId, JsonNode body) {
    try {
      check(tenantId, scenarioId, body);
      return List.of();
    } catch (InvalidScenarioException e) {
      return e.problems();
    }
  }

  /** Version 1 of a new scenario; {@link InvalidScenarioException} naming every problem if it does not check. */
  public SavedScenario create(long tenantId, JsonNode body, String bodyText, Long userId, String userName) {
    Scenario checked = check(tenantId, 0, body);
    SavedScenario saved = store.create(tenantId, checked.name(), bodyText, userId, userName);
    changed(tenantId);
    return saved;
  }

  /** The scenario's next version, which new conversations start on from now; empty if the tenant has no such one. */
  public Optional<SavedScenario> save(long tenantId, long scenarioId, JsonNode body, String bodyText, Long userId,
      String userName) {
    if (store.scenario(tenantId, scenarioId).isEmpty()) {
      return Optional.empty();
    }
    Scenario checked = check(tenantId, scenarioId, body);
    Optional<SavedScenario> saved = store.save(tenantId, scenarioId, checked.name(), bodyText, userId, userName);
    changed(tenantId);
    return saved;
  }

  /**
   * Deletes a scenario no entry greets with: it leaves the lists and no entry may name it again, while conversations
   * walking one of its versions go on to their end. Refused with {@code conflict} naming every entry that greets with
   * it; false when the tenant has no such scenario.
   */
  public boolean deleteScenario(long tenantId, long scenarioId) {
    Optional<List<BotEntry>> using = store.deleteScenario(tenantId, scenarioId);
    if (using.isEmpty()) {
      return false;
    }
    if (!using.get().isEmpty()) {
      throw new SangdamException(ErrorCode.CONFLICT, "scenario " + scenarioId + " greets at "
          + using.get().stream().map(this::placeName).collect(Collectors.joining(", "))
          + ": set another scenario there, or remove those entries, first");
    }
    changed(tenantId);
    return true;
  }

  /** An entry's place as admins name it: {@code center seoul}, {@code queue seoul/card}, {@code channel kakao}. */
  private String placeName(BotEntry e) {
    String center = e.centerId() == null ? null
        : directory.center(e.centerId()).map(Center::code).orElse("#" + e.centerId());
    return switch (e.level()) {
      case CHANNEL -> "channel " + e.channelCode();
      case QUEUE -> "queue " + center + "/" + directory.queue(e.queueId()).map(Queue::code).orElse("#" + e.queueId());
      case CENTER -> "center " + center;
    };
  }

  private Scenario check(long tenantId, long scenarioId, JsonNode body) {
    Scenario scenario = Scenario.parse(body, Math.max(scenarioId, 1), 1);
    Set<Long> centers = new LinkedHashSet<>();
    if (scenarioId > 0) {
      store.entries(tenantId).stream().filter(e -> e.hasBot() && e.scenarioId() == scenarioId)
          .forEach(e -> centers.add(e.homeCenterId()));
    }
    List<ScenarioProblem> problems = new ArrayList<>();
    if (centers.isEmpty()) {
      problems.addAll(scenario.problemsWith(targets(tenantId, null)));
    }
    for (long centerId : centers) {
      scenario.problemsWith(targets(tenantId, centerId)).stream().filter(p -> !problems.contains(p))
          .forEach(problems::add);
    }
    if (!problems.isEmpty()) {
      throw new InvalidScenarioException(problems);
    }
    return scenario;
  }

  /**
   * The tenant's centers and queues: a queue named without its center is looked for in {@code homeCenterId}, where
   * the conversation is, or, for a scenario that greets nowhere yet, in any center of the tenant.
   */
  private Targets targets(long tenantId, Long homeCenterId) {
    return new Targets() {
      @Override
      public boolean hasCenter(String center) {
        return directory.center(tenantId, center).isPresent();
      }

      @Override
      public boolean hasQueue(Optional<String> center, String queue) {
        if (center.isPresent()) {
          return directory.center(tenantId, center.get()).flatMap(c -> directory.queue(c.id(), queue)).isPresent();
        }
        if (homeCenterId != null) {
          return directory.queue(homeCenterId, queue).isPresent();
        }
        return directory.centers(tenantId).stream().map(Center::id)
            .anyMatch(c -> directory.queue(c, queue).isPresent());
      }
    };
  }

  // --- entries

  public List<BotEntry> entries(long tenantId) {
    return store.entries(tenantId);
  }

  /**
   * The scenario new conversations are greeted with at {@code place} from now; {@code scenario} must check against
   * the place's center (a queue named without its center is looked for there).
   */
  public BotEntry setEntry(long tenantId, Place place, long scenarioId, Long userId) {
    SavedScenario saved = store.scenario(tenantId, scenarioId)
        .orElseThrow(() -> Fields.invalid("scenario", "names no scenario " + scenarioId + " of this tenant"));
    library.scenario(tenantId, scenarioId, saved.currentVersion()).ifPresent(s -> {
      List<ScenarioProblem> problems = s.problemsWith(targets(tenantId, place.homeCenterId()));
      if (!problems.isEmpty()) {
        throw new InvalidScenarioException(problems);
      }
    });
    if (!store.setEntry(tenantId, place.centerId(), place.queueId(), place.channelId(), scenarioId, userId)) {
      throw Fields.invalid("scenario", "names no scenario " + scenarioId + " of this tenant");
    }
    changed(tenantId);
    return entry(tenantId, place).orElseThrow();
  }

  /**
   * No bot greets new conversations at {@code place} from now, whatever a less specific place's entry says: one
   * channel, or one queue, of a center whose entry has a scenario goes straight to its queue.
   */
  public BotEntry setNoBot(long tenantId, Place place, Long userId) {
    store.setEntry(tenantId, place.centerId(), place.queueId(), place.channelId(), null, userId);
    changed(tenantId);
    return entry(tenantId, place).orElseThrow();
  }

  public Optional<BotEntry> entry(long tenantId, Place place) {
    return store.entries(tenantId).stream().filter(e -> same(e, place)).findFirst();
  }

  private static boolean same(BotEntry e, Place place) {
    return Objects.equals(e.centerId(), place.centerId())
        && Objects.equals(e.queueId(), place.queueId())
        && Objects.equals(e.channelId(), place.channelId());
  }

  /** The bot stops greeting at {@code place}; whether it did. */
  public boolean deleteEntry(long tenantId, Place place) {
    boolean deleted = store.deleteEntry(tenantId, place.centerId(), place.queueId(), place.channelId());
    if (deleted) {
      changed(tenantId);
    }
    return deleted;
  }

  // --- FAQ

  public List<FaqItem> faq(long tenantId) {
    return store.faq(tenantId);
  }

  public Optional<FaqItem> faqItem(long tenantId, long id) {
    return store.faqItem(tenantId, id);
  }

  public FaqItem addFaq(long tenantId, String question, List<String> alternatives, String answer, boolean enabled) {
    checkFaq(question, alternatives, answer);
    FaqItem added = store.addFaq(tenantId, question.strip(), alternatives, answer.strip(), enabled,
        FaqItem.MAX_PER_TENANT).orElseThrow(() -> Fields.invalid("question", "cannot be added: the tenant has "
        + FaqItem.MAX_PER_TENANT + " FAQ entries, the most it may have; delete or change one"));
    changed(tenantId);
    return added;
  }

  public Optional<FaqItem> updateFaq(long tenantId, long id, String question, List<String> alternatives,
      String answer, boolean enabled) {
    checkFaq(question, alternatives, answer);
    Optional<FaqItem> updated = store.updateFaq(tenantId, id, question.strip(), alternatives, answer.strip(),
        enabled);
    updated.ifPresent(f -> changed(tenantId));
    return updated;
  }

  public boolean deleteFaq(long tenantId, long id) {
    boolean deleted = store.deleteFaq(tenantId, id);
    if (deleted) {
      changed(tenantId);
    }
    return deleted;
  }

  private static void checkFaq(String question, List<String> alternatives, String answer) {
    requireText("question", question, FaqItem.MAX_QUESTION);
    requireText("answer", answer, FaqItem.MAX_ANSWER);
    if (alternatives.size() > FaqItem.MAX_ALTERNATIVES) {
      throw Fields.invalid("alternatives", "must be at most " + FaqItem.MAX_ALTERNATIVES + " phrasings");
    }
    for (int i = 0; i < alternatives.size(); i++) {
      requireText("alternatives[" + i + "]", alternatives.get(i), FaqItem.MAX_ALTERNATIVE);
    }
  }

  private static void requireText(String field, String value, int max) {
    if (value == null) {
      throw Fields.missing(field);
    }
    if (value.isBlank() || value.length() > max) {
      throw Fields.invalid(field, "must be 1 to " + max + " characters");
    }
  }

  private void changed(long tenantId) {
    library.changed(tenantId);
    changes.changed(new Change.BotChanged(tenantId));
  }
}
