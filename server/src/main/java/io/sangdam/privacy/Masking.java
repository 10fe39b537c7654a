package io.sangdam.privacy;

/** Masks contact data for display: {@code 010-****-5678}, {@code h***@example.com}, {@code 홍*동}. */
public final class Masking {
  private Masking() {}

  /** A phone number keeps its first three and last four digits; an e-mail its first letter and domain. */
  public static String contact(String value) {
    if (value == null || value.isBlank()) {
      return value;
    }
    int at = value.indexOf('@');
    if (at > 0) {
      return value.substring(0, value.offsetByCodePoints(0, 1)) + "***" + value.substring(at);
    }
    long digits = value.chars().filter(Character::isDigit).count();
    if (digits >= 7) {
      StringBuilder out = new StringBuilder();
      int seen = 0;
      for (char ch : value.toCharArray()) {
        if (Character.isDigit(ch)) {
          seen++;
          out.append(seen <= 3 || seen > digits - 4 ? ch : '*');
        } else {
          out.append(ch);
        }
      }
      return out.toString();
    }
    return name(value);
  }

  /**
   * A name keeps its first and last character: 홍길동 becomes 홍*동, 김철 becomes 김*. Characters are code points, so
   * a name with an emoji or a rare Hanja outside the basic plane is never cut in half.
   */
  public static String name(String value) {
    if (value == null) {
      return null;
    }
    int characters = value.codePointCount(0, value.length());
    if (characters < 2) {
      return value;
    }
    String first = value.substring(0, value.offsetByCodePoints(0, 1));
    if (characters == 2) {
      return first + "*";
    }
    return first + "*".repeat(characters - 2) + value.substring(value.offsetByCodePoints(value.length(), -1));
  }
}
