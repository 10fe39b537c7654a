package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A tenant's scenario as its admins list it: its current version (the one new conversations start on) and that
 * version's {@code name}. The versions themselves are {@link ScenarioVersion}s.
 */
public record SavedScenario(long id, long tenantId, String name, int currentVersion, Instant createdAt,
    Instant updatedAt) {
  public SavedScenario {
    requireNonNull(name, "name");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }
}
