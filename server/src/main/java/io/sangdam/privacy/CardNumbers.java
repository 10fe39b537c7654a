package io.sangdam.privacy;

/** Payment card numbers as customers type them into a chat. */
final class CardNumbers {
  private CardNumbers() {}

  /**
   * Whether the digits could be a card: 13 to 19 of them, from an issuer's range, passing the Luhn
   * check. One digit run in ten passes Luhn, so the issuer range is what spares order numbers that
   * begin with the year ({@code 2026112412345678}): Mastercard's 2-series starts at 2221.
   */
  static boolean isCardNumber(String digits) {
    return digits.length() >= 13 && digits.length() <= 19 && fromIssuerRange(digits) && passesLuhn(digits);
  }

  /** The first four and last four digits stay, separators too: {@code 1234-****-****-5678}. */
  static String mask(String card) {
    long digits = card.chars().filter(CardNumbers::isDigit).count();
    StringBuilder out = new StringBuilder(card.length());
    int seen = 0;
    for (char ch : card.toCharArray()) {
      if (isDigit(ch)) {
        seen++;
        out.append(seen <= 4 || seen > digits - 4 ? ch : '*');
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  // Amex, Diners and JCB (3), Visa (4), Mastercard and Maestro (5, 2221-2720), Discover and UnionPay (6),
  // and the Korean domestic cards (9).
  private static boolean fromIssuerRange(String digits) {
    char first = digits.charAt(0);
    if (first == '2') {
      int prefix = Integer.parseInt(digits.substring(0, 4));
      return prefix >= 2221 && prefix <= 2720;
    }
    return first == '3' || first == '4' || first == '5' || first == '6' || first == '9';
  }

  private static boolean passesLuhn(String digits) {
    int sum = 0;
    boolean doubled = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int digit = digits.charAt(i) - '0';
      if (doubled) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  private static boolean isDigit(int ch) {
    return ch >= '0' && ch <= '9';
  }
}
