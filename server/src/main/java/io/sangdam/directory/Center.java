package io.sangdam.directory;

import java.time.Instant;

/**
 * A regional center (지역 센터) of a tenant, with its own queues, agents and settings.
 * {@code hours} is null for a center that is always open; when set, its zone is the center's. A
 * disabled center takes no new customers; conversations already in it go on.
 */
public record Center(long id, long tenantId, String code, String name, String timezone, BusinessHours hours,
    CenterSettings settings, boolean enabled) {

  public boolean isOpen(Instant at) {
    return hours == null || hours.isOpen(at);
  }
}
