package io.sangdam.accesslog;

import io.sangdam.protocol.Fields;
import java.util.List;

/**
 * One read of personal data: who ({@code actorId}, {@code actorName}), from where, what ({@code action} on
 * {@code object}, e.g. {@code transcript} of {@code conversation 42}), whose ({@code subjects}: customer ids, in
 * the order read; a page of search results names several) and, for downloads and exports, why. {@code tenantId}
 * and {@code centerId} are those of the data read (null when it spans them), which scope who may review it.
 */
public record AccessRecord(Long actorId, String actorName, Long tenantId, Long centerId, String address,
    String action, String object, List<Long> subjects, String reason) {
  /** The longest reason kept; a longer one is refused, not cut. */
  public static final int MAX_REASON = 200;

  public AccessRecord {
    subjects = List.copyOf(subjects);
    actorName = actorName.length() > 100 ? actorName.substring(0, 100) : actorName;
    address = address != null && address.length() > 64 ? address.substring(0, 64) : address;
    object = object.length() > 200 ? object.substring(0, 200) : object;
  }

  /** What {@code reader} read: its action, object, subjects and reason, in the data's tenant and center. */
  public static AccessRecord of(Reader reader, Long tenantId, Long centerId, String action, String object,
      List<Long> subjects, String reason) {
    return new AccessRecord(reader.principal().id(), reader.principal().user().username(), tenantId, centerId,
        reader.address(), action, object, subjects, reason);
  }

  /**
   * The reason given for a download or export: required, 1 to {@value #MAX_REASON} characters once trimmed, no
   * control characters (it is shown in CSV and on screen).
   */
  public static String reason(String given) {
    if (given == null || given.strip().isEmpty()) {
      throw Fields.missing("reason");
    }
    String reason = given.strip();
    if (reason.length() > MAX_REASON) {
      throw Fields.invalid("reason", "must be at most " + MAX_REASON + " characters");
    }
    if (reason.chars().anyMatch(Character::isISOControl)) {
      throw Fields.invalid("reason", "must be one line of text");
    }
    return reason;
  }
}
