package io.sangdam.callback;

import io.sangdam.directory.Center;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The times a customer may ask to be called at: 30-minute slots of the center's local clock, starting after now,
 * that lie wholly within its business hours (a center without hours: any), over the next {@link #DAYS} days, at most
 * {@link #MAX} of them.
 */
public final class CallbackSlots {
  public static final Duration SLOT = Duration.ofMinutes(30);
  static final int DAYS = 7;
  static final int MAX = 60;

  private CallbackSlots() {}

  /** The zone of the center's clock, which its slots are on: its hours' zone, else the center's own. */
  public static ZoneId zone(Center center) {
    return center.hours() != null ? center.hours().zone() : ZoneId.of(center.timezone());
  }

  /** The slots offered at {@code now}, earliest first. */
  public static List<Instant> offered(Center center, Instant now) {
    ZoneId zone = zone(center);
    ZonedDateTime local = now.atZone(zone).truncatedTo(ChronoUnit.HOURS);
    Instant limit = now.plus(Duration.ofDays(DAYS));
    List<Instant> slots = new ArrayList<>();
    for (Instant at = local.toInstant(); at.isBefore(limit) && slots.size() < MAX; at = at.plus(SLOT)) {
      if (at.isAfter(now) && open(center, at)) {
        slots.add(at);
      }
    }
    return slots;
  }

  /** Whether {@code at} is one of the slots offered at {@code now}. */
  public static boolean isOffered(Center center, Instant at, Instant now) {
    return offered(center, now).contains(at);
  }

  /** Open at the slot's first and last minute: a slot the center closes within is not offered. */
  private static boolean open(Center center, Instant at) {
    return center.isOpen(at) && center.isOpen(at.plus(SLOT).minusSeconds(60));
  }
}
