package io.sangdam.canned;

/**
 * A prepared answer. {@code centerId} null: the whole tenant's; {@code ownerId} set: one agent's
 * own. {@code shortcut} is what the agent types after a slash ({@code refund} for {@code /refund}).
 */
public record CannedResponse(long id, long tenantId, Long centerId, Long ownerId, String title, String shortcut,
    String body, boolean enabled) {

  /** personal, center or tenant. */
  public String level() {
    return ownerId != null ? "personal" : centerId != null ? "center" : "tenant";
  }
}
