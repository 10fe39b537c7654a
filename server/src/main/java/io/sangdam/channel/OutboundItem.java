package io.sangdam.channel;

import io.sangdam.chat.Choice;
import java.util.List;

import java.time.Instant;
import java.util.Optional;

/**
 * One thing to deliver to a channel's customer, in {@code seq} order per conversation: a message
 * ({@code MESSAGE}: an agent's, a bot's or a system message, with its text and maybe a file) or the
 * conversation's end ({@code CLOSED}, with its reason). {@code user} is the customer's key on the
 * channel; {@code attempt} counts from 1. {@code survey}, on an end only: the customer is asked to rate the
 * conversation ({@link ChannelRatings}) with this question, before the channel's end.
 */
public record OutboundItem(long id, long conversationId, long seq, Type type, String user, String from, String name,
    String text, Instant at, Optional<String> reason, Optional<OutboundFile> file, int attempt,
    Optional<String> survey, List<Choice> buttons) {

  public OutboundItem {
    buttons = buttons == null ? List.of() : List.copyOf(buttons);
  }

  public enum Type { MESSAGE, CLOSED }

  /** A file sent with a message: where the adapter reads its bytes, its name, type and size. */
  public record OutboundFile(long attachmentId, String name, String contentType, long size) {}

  /** An item that asks for no rating (every message, and an end the outbox has not yet looked at). */
  public OutboundItem(long id, long conversationId, long seq, Type type, String user, String from, String name,
      String text, Instant at, Optional<String> reason, Optional<OutboundFile> file, int attempt) {
    this(id, conversationId, seq, type, user, from, name, text, at, reason, file, attempt, Optional.empty(),
        List.of());
  }

  /** A bot's message with the buttons under it. */
  public OutboundItem withButtons(List<Choice> offered) {
    return new OutboundItem(id, conversationId, seq, type, user, from, name, text, at, reason, file, attempt, survey,
        offered);
  }

  /**
   * The text for a channel that cannot show these buttons (SMS; Naver and KakaoTalk past their quick replies'
   * limits): the buttons follow as numbered options, and the customer answers with the number
   * ({@code BotConversations} reads a bare number as the button in that place under the bot's latest message).
   */
  public String plainText() {
    if (buttons.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text == null ? "" : text);
    for (int i = 0; i < buttons.size(); i++) {
      out.append('\n').append(i + 1).append(". ").append(buttons.get(i).label());
    }
    return out.toString();
  }

  /** This end, asking the customer {@code question} before it. */
  public OutboundItem withSurvey(String question) {
    return new OutboundItem(id, conversationId, seq, type, user, from, name, text, at, reason, file, attempt,
        Optional.of(question), buttons);
  }
}
