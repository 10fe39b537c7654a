package io.sangdam.bot.scenario;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What a tenant's external bot made of a customer message, as {@link ScenarioEngine#answered} takes it. */
public sealed interface ExternalAnswer {

  /** What the bot does with the conversation after its messages. */
  enum Action { WAIT, HANDOFF, END }

  /**
   * Its messages, then {@code action}: {@code WAIT} for the customer's next message; {@code HANDOFF} to {@code queue}
   * of {@code center} (null: the conversation's), or, when {@code queue} is null, on to the node's {@code next};
   * {@code END}. {@code fields} join what the scenario collected (by name), shown to the agent after a hand-off.
   */
  record Answered(List<BotMessage> messages, Action action, String queue, String center,
      List<CollectedField> fields) implements ExternalAnswer {
    public Answered {
      messages = List.copyOf(messages);
      requireNonNull(action, "action");
      fields = List.copyOf(fields);
    }
  }

  /** The bot did not answer, or not in a way that reads: the node's {@code failure} exit. {@code why}: for the log. */
  record Failed(String why) implements ExternalAnswer {
    public Failed {
      requireNonNull(why, "why");
    }
  }
}
