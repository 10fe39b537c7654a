package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One saved version of a scenario, never changed once saved: {@code body} is the JSON exactly as the admin sent it,
 * {@code savedBy} the user who saved it (null, with {@code savedByName} null, for what the server seeded itself).
 */
public record ScenarioVersion(long scenarioId, int version, String body, Long savedBy, String savedByName,
    Instant savedAt) {
  public ScenarioVersion {
    requireNonNull(body, "body");
    requireNonNull(savedAt, "savedAt");
  }
}
