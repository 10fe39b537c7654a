package io.sangdam.chat;

import java.time.Duration;

/** A center's conversation timeouts, resolved against the configured defaults; see {@code CenterSettings}. */
public record Timeouts(Duration customerGrace, Duration idleWarning, Duration idleClose) {}
