package io.sangdam.bot;

import java.time.Duration;
import java.time.Instant;

/**
 * A tenant's external bot: {@code url} receives each customer message of a conversation at one of its scenarios'
 * {@code externalBot} nodes, signed with {@code secret}; the bot answers within {@code timeout}, or answers 202 and
 * then replies over REST with its bearer token (kept only as a hash) within {@code replyWithin}.
 */
public record BotEndpoint(long id, long tenantId, String code, String name, String url, String secret,
    Duration timeout, Duration replyWithin, boolean enabled, Instant createdAt) {}
