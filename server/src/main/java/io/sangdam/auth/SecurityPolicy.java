package io.sangdam.auth;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The password and session policy of local accounts, of HQ (the default) or of one tenant. Passwords
 * need {@code minLength} characters (never fewer than {@link #MIN_LENGTH_FLOOR}) of {@code charClasses}
 * of the four kinds (upper case, lower case, digit, symbol), must not contain the username, expire
 * after {@code expiryDays} (0: never) and may not repeat any of the last {@code reuseLimit}. A token
 * lives {@code tokenMinutes} (null: the server's {@code auth.tokenTtlMinutes}) unless renewed, and is
 * refused once unused for {@code idleMinutes} (0: never). Admin and agent consoles may be limited to
 * address ranges (empty: anywhere).
 */
public record SecurityPolicy(int minLength, int charClasses, int expiryDays, int reuseLimit, Integer tokenMinutes,
    int idleMinutes, AddressRanges adminRanges, AddressRanges agentRanges) {
  /**
   * 개인정보의 안전성 확보조치 기준 asks for 10 characters of 2 kinds or 8 of 3; read strictly, both at
   * once: never fewer than 10, and 3 kinds by default.
   */
  public static final int MIN_LENGTH_FLOOR = 10;
  /** PBKDF2 takes any length; past this a password is more likely a pasted mistake than a choice. */
  public static final int MAX_LENGTH = 200;

  /** What a deployment starts with until HQ saves its own: the strict reading above, 90 days, the last 3. */
  public static final SecurityPolicy DEFAULT = new SecurityPolicy(MIN_LENGTH_FLOOR, 3, 90, 3, null, 0,
      AddressRanges.ANYWHERE, AddressRanges.ANYWHERE);

  /** A rule a password broke: its wire code names it. */
  public enum Rule {
    TOO_SHORT(ErrorCode.PASSWORD_TOO_SHORT),
    TOO_SIMPLE(ErrorCode.PASSWORD_TOO_SIMPLE),
    HAS_USERNAME(ErrorCode.PASSWORD_HAS_USERNAME),
    REUSED(ErrorCode.PASSWORD_REUSED);

    private final ErrorCode code;

    Rule(ErrorCode code) {
      this.code = code;
    }

    public ErrorCode code() {
      return code;
    }
  }

  /** Checks the bounds of every setting; {@code invalid_field} names the first out of them. */
  public SecurityPolicy {
    if (minLength < MIN_LENGTH_FLOOR || minLength > 64) {
      throw invalid("minLength", "must be " + MIN_LENGTH_FLOOR + " to 64");
    }
    if (charClasses < 1 || charClasses > 4) {
      throw invalid("charClasses", "must be 1 to 4 (of upper case, lower case, digit, symbol)");
    }
    if (expiryDays < 0 || expiryDays > 3650) {
      throw invalid("expiryDays", "must be 0 (never) to 3650");
    }
    if (reuseLimit < 0 || reuseLimit > 24) {
      throw invalid("reuseLimit", "must be 0 to 24");
    }
    if (tokenMinutes != null && (tokenMinutes < 5 || tokenMinutes > 43_200)) {
      throw invalid("tokenMinutes", "must be 5 to 43200 (30 days), or null for the server's setting");
    }
    if (idleMinutes < 0 || idleMinutes > 1440 || (idleMinutes > 0 && idleMinutes < 2)) {
      throw invalid("idleMinutes", "must be 0 (never) or 2 to 1440");
    }
    if (adminRanges == null || agentRanges == null) {
      throw invalid(adminRanges == null ? "adminRanges" : "agentRanges", "must be a list (empty: anywhere)");
    }
  }

  private static SangdamException invalid(String field, String why) {
    return new SangdamException(ErrorCode.INVALID_FIELD, "field '" + field + "' " + why, field);
  }

  /**
   * The first rule {@code password} breaks for {@code username}, or none. The username counts when
   * it is 3 characters or longer, in any case, so that "Kim2026!kim" is refused for kim.
   */
  public Optional<Rule> broken(String username, String password) {
    if (password.length() < minLength) {
      return Optional.of(Rule.TOO_SHORT);
    }
    if (classes(password) < charClasses) {
      return Optional.of(Rule.TOO_SIMPLE);
    }
    if (username.length() >= 3 && password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
      return Optional.of(Rule.HAS_USERNAME);
    }
    return Optional.empty();
  }

  /** The refusal of a password that broke {@code rule}: 422 with the rule's code, on {@code field}. */
  public SangdamException refusal(Rule rule, String field) {
    String why = switch (rule) {
      case TOO_SHORT -> "must have at least " + minLength + " characters";
      case TOO_SIMPLE -> "must mix at least " + charClasses + " of upper case, lower case, digits and symbols";
      case HAS_USERNAME -> "must not contain the username";
      case REUSED -> "must not be one of the last " + reuseLimit + " passwords";
    };
    return new SangdamException(rule.code(), "the password " + why, field);
  }

  /** How many of the four kinds (upper case, lower case, digit, anything else) {@code password} mixes. */
  static int classes(String password) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    boolean symbol = false;
    for (int i = 0; i < password.length(); ) {
      int c = password.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isUpperCase(c)) {
        upper = true;
      } else if (Character.isLowerCase(c)) {
        lower = true;
      } else if (Character.isDigit(c)) {
        digit = true;
      } else {
        // Hangul and other letters without case count here too: they widen the search as symbols do.
        symbol = true;
      }
    }
    return List.of(upper, lower, digit, symbol).stream().mapToInt(b -> b ? 1 : 0).sum();
  }

  /** Whether a password set at {@code changedAt} has expired by {@code now}. */
  public boolean expired(Instant changedAt, Instant now) {
    return expiryDays > 0 && changedAt != null && !now.isBefore(changedAt.plus(Duration.ofDays(expiryDays)));
  }

  /** How long a token lives, this policy's or else the server's. */
  public Duration tokenLifetime(Duration serverDefault) {
    return tokenMinutes == null ? serverDefault : Duration.ofMinutes(tokenMinutes);
  }

  /** How long a token may go unused; zero: forever. */
  public Duration idleLimit() {
    return Duration.ofMinutes(idleMinutes);
  }
}
