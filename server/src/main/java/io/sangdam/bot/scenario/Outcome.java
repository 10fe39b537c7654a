package io.sangdam.bot.scenario;

import java.time.Instant;
import java.util.List;

/** Where a conversation stands after the bot's turn: still with the bot, or handed on. */
public sealed interface Outcome {

  /** The bot waits for the customer's next reply; {@code state} is stored with the conversation. */
  record Waiting(BotState state) implements Outcome {}

  /** To an agent: {@code queue} of {@code center} (null: the conversation's), with what the forms collected. */
  record HandOff(String queue, String center, List<CollectedField> fields) implements Outcome {
    public HandOff {
      fields = List.copyOf(fields);
    }
  }

  /** An offline inquiry for {@code queue} of {@code center} (null: the conversation's), from the collected fields. */
  record InquiryLeft(String queue, String center, List<CollectedField> fields) implements Outcome {
    public InquiryLeft {
      fields = List.copyOf(fields);
    }
  }

  /**
   * A callback request for {@code queue} of {@code center} (null: the conversation's) at {@code slot}, to be called
   * on {@code phone}; the conversation then ends.
   */
  record CallbackLeft(String queue, String center, Instant slot, String phone, List<CollectedField> fields)
      implements Outcome {
    public CallbackLeft {
      fields = List.copyOf(fields);
    }
  }

  /** The conversation ends for {@code reason}, as the scenario names it. */
  record Ended(String reason, List<CollectedField> fields) implements Outcome {
    public Ended {
      fields = List.copyOf(fields);
    }
  }
}
