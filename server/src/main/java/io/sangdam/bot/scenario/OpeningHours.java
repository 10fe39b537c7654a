package io.sangdam.bot.scenario;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a center takes chats at an instant, as an hours node asks it: the conversation's own center when
 * {@code center} is empty, else that center of the same tenant. The caller answers from its directory snapshot
 * ({@code Center.isOpen}); a center it does not know counts as closed, so the customer is told so rather than queued
 * for nobody.
 */
@FunctionalInterface
public interface OpeningHours {
  boolean isOpen(Optional<String> center, Instant at);
}
