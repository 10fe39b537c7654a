package io.sangdam.channel;

import io.sangdam.protocol.Fields;
import java.util.Optional;

/**
 * One inbound message or event of a channel's customer, whatever the channel's own wire: the custom
 * channel's body as PROTOCOL.md has it ({@code {"user","name"?,"mid","event"?:"message"|"leave","text","button"?}},
 * or {@code "event":"rating"} with {@code "conversation","score","comment"?}),
 * or what a partner adapter reads from its partner's webhook. {@code text} only for a message (the
 * widget's limits); {@code button} the id of a bot's button the customer chose. {@code START} (a
 * partner's session start without a message yet) opens the customer's conversation if none is open.
 * A partner whose events carry no id of their own derives {@code mid} from the event, and may name the
 * mid the same event had a moment earlier ({@code earlierMid}), which is then a repeat too.
 */
public record InboundMessage(String user, Optional<String> name, String mid, Event event, String text,
    Optional<String> button, Optional<String> earlierMid, Optional<Rating> rating) {
  /** The longest customer key and message id: they are kept as the customer's key and as the message's cmid. */
  public static final int MAX_USER = 128;
  public static final int MAX_MID = 64;

  /** {@code RATING}: the custom channel's customer rates a closed conversation ({@link ChannelRatings}). */
  public enum Event { MESSAGE, LEAVE, START, RATING }

  /** A rating event's conversation, score (1 to 5) and comment. */
  public record Rating(long conversation, int score, Optional<String> comment) {}

  public InboundMessage(String user, Optional<String> name, String mid, Event event, String text,
      Optional<String> button, Optional<String> earlierMid) {
    this(user, name, mid, event, text, button, earlierMid, Optional.empty());
  }

  public static InboundMessage message(String user, Optional<String> name, String mid, String text) {
    return new InboundMessage(user, name, mid, Event.MESSAGE, text, Optional.empty(), Optional.empty());
  }

  public static InboundMessage leave(String user, String mid) {
    return new InboundMessage(user, Optional.empty(), mid, Event.LEAVE, null, Optional.empty(), Optional.empty());
  }

  public static InboundMessage start(String user, Optional<String> name, String mid) {
    return new InboundMessage(user, name, mid, Event.START, null, Optional.empty(), Optional.empty());
  }

  /** A customer's text, already checked by the partner's adapter, whose mid may have been another a moment ago. */
  public static InboundMessage text(String user, String mid, Optional<String> earlierMid, String text) {
    return new InboundMessage(user, Optional.empty(), mid, Event.MESSAGE, text, Optional.empty(), earlierMid);
  }

  /** The customer left: their open conversation ends; its mid may have been another a moment ago. */
  public static InboundMessage leave(String user, String mid, Optional<String> earlierMid) {
    return new InboundMessage(user, Optional.empty(), mid, Event.LEAVE, null, Optional.empty(), earlierMid);
  }

  boolean leave() {
    return event == Event.LEAVE;
  }

  /** The custom channel's body, checked: a missing or invalid field is a 422 naming it. */
  static InboundMessage of(Fields f) {
    String user = nonBlank(f, "user", MAX_USER);
    Optional<String> name = f.optString("name", 100).map(String::strip).filter(n -> !n.isEmpty());
    String mid = nonBlank(f, "mid", MAX_MID);
    String event = f.optString("event", 10).orElse("message");
    if (!event.equals("message") && !event.equals("leave") && !event.equals("rating")) {
      throw Fields.invalid("event", "must be \"message\", \"leave\" or \"rating\"");
    }
    if (event.equals("rating")) {
      long conversation = f.id("conversation");
      int score = f.optInt("score", 1, 5).orElseThrow(() -> Fields.missing("score"));
      Optional<String> comment = f.optString("comment", 1000).filter(c -> !c.isBlank());
      return new InboundMessage(user, name, mid, Event.RATING, null, Optional.empty(), Optional.empty(),
          Optional.of(new Rating(conversation, score, comment)));
    }
    boolean leave = event.equals("leave");
    return new InboundMessage(user, name, mid, leave ? Event.LEAVE : Event.MESSAGE, leave ? null : f.text("text"),
        f.optString("button", 64), Optional.empty());
  }

  private static String nonBlank(Fields f, String field, int max) {
    String value = f.string(field, max);
    if (value.isBlank()) {
      throw Fields.invalid(field, "must not be blank");
    }
    return value;
  }
}
