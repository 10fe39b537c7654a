package io.sangdam.directory;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An away reason (이석 사유) of a tenant: what an agent who is AWAY says they are doing. Identified
 * by its code within the tenant; never deleted, only disabled, so recorded times keep naming it.
 * {@code nameEn} is the name in the consoles' English mode (null: {@code name} there too).
 */
public record AwayReason(long tenantId, String code, String name, String nameEn, boolean enabled) {
  public static final Pattern CODE = Pattern.compile("[a-z0-9_]{1,32}");
  public static final int NAME_LENGTH = 50;

  /** A reason as every tenant starts with it. */
  public record Default(String code, String name, String nameEn) {}

  /** What every tenant starts with, in this order. */
  public static final List<Default> DEFAULTS = List.of(
      new Default("break", "휴식", "Break"),
      new Default("meal", "식사", "Meal"),
      new Default("training", "교육", "Training"),
      new Default("meeting", "회의", "Meeting"),
      new Default("after_call", "후처리", "After-chat work"));
}
