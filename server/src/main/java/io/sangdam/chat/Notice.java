package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a system message says, as a stable {@code key} with its {@code params}, so that each reader's app
 * renders it in the reader's language. The message's text stays the tenant's wording ({@link #text()}),
 * which channels deliver and apps fall back to for a key they do not know. docs/protocol.md lists every key.
 */
public record Notice(String key, Map<String, String> params) {
  static final String TRANSFERRED_TO_QUEUE = "conversation.transferredToQueue";
  static final String TRANSFERRED_TO_AGENT = "conversation.transferredToAgent";
  static final String TAKEN_OVER = "conversation.takenOver";
  static final String HELD = "conversation.held";
  static final String RESUMED = "conversation.resumed";
  static final String IDLE_WARNING = "conversation.idleWarning";
  static final String AGENT_LOST = "conversation.agentLost";

  /** The tenant's wording of each key, with {param} places. */
  private static final Map<String, String> KOREAN = Map.of(
      TRANSFERRED_TO_QUEUE, "상담을 담당 창구로 연결해 드리겠습니다. 잠시만 기다려 주세요.",
      TRANSFERRED_TO_AGENT, "{agent} 상담사가 이어서 상담해 드리겠습니다.",
      TAKEN_OVER, "{name} 님이 상담을 이어받았습니다.",
      HELD, "상담사가 내용을 확인하고 있습니다. 잠시만 기다려 주세요.",
      RESUMED, "기다려 주셔서 감사합니다. 상담을 이어가겠습니다.",
      IDLE_WARNING, "고객님, 더 궁금하신 점이 있으신가요? {minutes}분 동안 응답이 없으시면 상담이 자동으로 종료됩니다.",
      AGENT_LOST, "상담사와의 연결이 끊어져 다른 상담사를 연결해 드리겠습니다. 잠시만 기다려 주세요.");

  private static final Pattern PLACE = Pattern.compile("\\{(\\w+)}");

  public Notice {
    requireNonNull(key, "key");
    params = Map.copyOf(requireNonNull(params, "params"));
  }

  static Notice transferredToQueue() {
    return new Notice(TRANSFERRED_TO_QUEUE, Map.of());
  }

  static Notice transferredToAgent(String agentName) {
    return new Notice(TRANSFERRED_TO_AGENT, Map.of("agent", agentName));
  }

  static Notice takenOver(String supervisorName) {
    return new Notice(TAKEN_OVER, Map.of("name", supervisorName));
  }

  static Notice held(boolean hold) {
    return new Notice(hold ? HELD : RESUMED, Map.of());
  }

  /**
   * The warning before an idle close, with the minutes left ({@code minutes}, rounded up: a close in 90 seconds is
   * said as 2 minutes, never as 0).
   */
  static Notice idleWarning(java.time.Duration untilClose) {
    long minutes = Math.max(1, (untilClose.toSeconds() + 59) / 60);
    return new Notice(IDLE_WARNING, Map.of("minutes", Long.toString(minutes)));
  }

  static Notice agentLost() {
    return new Notice(AGENT_LOST, Map.of());
  }

  /** The tenant's wording, params filled in; the text the message is stored and delivered with. */
  public String text() {
    String template = KOREAN.get(key);
    if (template == null) {
      throw new IllegalStateException("no wording for notice key " + key);
    }
    Matcher place = PLACE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (place.find()) {
      place.appendReplacement(out, Matcher.quoteReplacement(params.getOrDefault(place.group(1), "")));
    }
    return place.appendTail(out).toString();
  }
}
