package io.sangdam.directory;

/**
 * A center's own timeouts, in seconds; null means the configured default. {@code agentGrace}: an
 * agent offline this long loses their conversations to the queue. {@code customerGrace}: a waiting
 * customer gone this long abandons. {@code idleWarning}: silence of the customer after the agent's
 * last message before a warning. {@code idleClose}: silence after the warning before the
 * conversation closes with reason timeout. {@code requireCategory}: an agent's close must name a category.
 * {@code serviceLevelSeconds}: a conversation answered within it counts toward the service level.
 */
public record CenterSettings(Integer agentGraceSeconds, Integer customerGraceSeconds, Integer idleWarningSeconds,
    Integer idleCloseSeconds, boolean requireCategory, int serviceLevelSeconds) {
  public static final int DEFAULT_SERVICE_LEVEL_SECONDS = 20;
  public static final CenterSettings DEFAULTS = new CenterSettings(null, null, null, null, false,
      DEFAULT_SERVICE_LEVEL_SECONDS);
}
