package io.sangdam.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sangdam.privacy.PiiItem.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the masker of message text. Whatever the text, the items found are in reading order, never overlap and
 * are what the text holds at their place; each kind is masked as its comment says (same length, only the
 * documented digits hidden; an e-mail keeps its first letter and domain); masking leaves nothing it would hide
 * readable; and no card number or phone number written on its own (between spaces) survives masking.
 *
 * <p>Kept inputs replay in every test run; {@code scripts/fuzz PiiMaskingFuzzTest} fuzzes.
 */
class PiiMaskingFuzzTest {

  /** Any text: the structural properties of {@link PiiMasking#find} and {@link PiiMasking#mask}. */
  @FuzzTest
  void masksAnyText(FuzzedDataProvider data) {
    checkMasking(data.consumeRemainingAsString());
  }

  /**
   * Text with card, phone and registration numbers and e-mail addresses written in, each between spaces: none of
   * their digits may be readable in full after masking. Plain fuzzing seldom makes a Luhn-valid card, this does.
   */
  @FuzzTest
  void masksWrittenNumbers(FuzzedDataProvider data) {
    StringBuilder text = new StringBuilder();
    List<String> secrets = new ArrayList<>();
    while (data.remainingBytes() > 0) {
      text.append(data.consumeString(12));
      String item = switch (data.consumeInt(0, 4)) {
        case 0 -> card(data);
        case 1 -> phone(data);
        case 2 -> registrationNumber(data);
        case 3 -> "user" + data.consumeInt(0, 999) + "@example.com";
        default -> "";
      };
      if (!item.isEmpty()) {
        text.append(' ').append(item).append(' ');
        secrets.add(item);
      }
    }
    String masked = checkMasking(text.toString());
    for (String secret : secrets) {
      assertFalse(masked.contains(" " + secret + " "), () -> secret + " left readable in " + masked);
    }
  }

  /**
   * Contact fields and names as staff see them in search results: a name keeps its first and last character and
   * hides each one between; a phone number keeps its first three and last four digits; an e-mail address its first
   * character and domain. A character is a code point: an emoji is never cut in half.
   */
  @FuzzTest
  void masksContactsAndNames(FuzzedDataProvider data) {
    String value = data.consumeRemainingAsString();
    String name = Masking.name(value);
    int characters = value.codePointCount(0, value.length());
    if (characters < 2) {
      assertEquals(value, name);
    } else {
      assertEquals(characters, name.codePointCount(0, name.length()), () -> "one star per hidden character: " + name);
      assertEquals(value.codePointAt(0), name.codePointAt(0));
      if (characters > 2) {
        assertEquals(value.codePointBefore(value.length()), name.codePointBefore(name.length()));
      }
    }
    assertEquals(isWellFormed(value), isWellFormed(name), () -> "a character cut in half in " + name);
    String contact = Masking.contact(value);
    assertEquals(isWellFormed(value), isWellFormed(contact), () -> "a character cut in half in " + contact);
    if (!value.isBlank() && value.indexOf('@') > 0) {
      assertEquals(value.codePointAt(0), contact.codePointAt(0));
      assertTrue(contact.endsWith(value.substring(value.indexOf('@'))) && contact.contains("***"), contact);
    }
  }

  private static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        return false;
      }
    }
    return true;
  }

  static String checkMasking(String text) {
    List<PiiItem> items = PiiMasking.find(text);
    assertEquals(items, PiiMasking.find(text), "the same text gives the same items");
    // Where each item stands in the masked text: e-mail addresses get shorter.
    List<int[]> maskedSpans = new ArrayList<>();
    int end = 0;
    int shortened = 0;
    for (PiiItem item : items) {
      assertTrue(item.start() >= end && item.end() > item.start(), () -> "items overlap or are out of order: " + items);
      end = item.end();
      assertEquals(text.substring(item.start(), item.end()), item.original());
      checkItem(item);
      maskedSpans.add(new int[] {item.start() - shortened, item.start() - shortened + item.masked().length()});
      shortened += item.original().length() - item.masked().length();
    }
    String masked = PiiMasking.mask(text);
    assertEquals(text.length() - shortened, masked.length(), "only e-mail addresses change length");
    // Masking again may find a number made of the digits masking left visible next to its stars
    // ("02-895 3758" in "02-895 3758**********2261"), nothing that was readable before: anything it would
    // hide must touch what the first masking hid. Idempotence proper would need digits glued to a star to
    // count as part of a bigger number, and then "**010-1234-5678**" would be left unmasked.
    for (PiiItem again : PiiMasking.find(masked)) {
      if (!again.masked().equals(again.original())) {
        assertTrue(maskedSpans.stream().anyMatch(span -> again.start() <= span[1] && again.end() >= span[0]),
            () -> again + " left readable in " + masked + ", masked from " + items + " in " + text);
      }
    }
    return masked;
  }

  private static void checkItem(PiiItem item) {
    String original = item.original();
    String masked = item.masked();
    if (item.kind() == Kind.EMAIL) {
      assertEquals(original.charAt(0) + "***" + original.substring(original.indexOf('@')), masked);
      return;
    }
    assertEquals(original.length(), masked.length(), () -> item + " changes length");
    int hidden = 0;
    for (int i = 0; i < original.length(); i++) {
      char was = original.charAt(i);
      char now = masked.charAt(i);
      if (now != was) {
        assertTrue(now == '*' && was >= '0' && was <= '9', () -> item + " changes more than digits");
        hidden++;
      }
    }
    String digits = original.replaceAll("[^0-9]", "");
    switch (item.kind()) {
      case CARD -> {
        assertTrue(CardNumbers.isCardNumber(digits), () -> item + " is not a card number");
        assertEquals(digits.length() - 8, hidden, () -> item + " must keep only the first and last four digits");
        String kept = masked.replaceAll("[^0-9]", "");
        assertEquals(digits.substring(0, 4) + digits.substring(digits.length() - 4), kept);
      }
      case RRN -> assertEquals(6, hidden, () -> item + " must hide the six serial digits");
      case MOBILE, PHONE -> assertTrue(hidden == 3 || hidden == 4, () -> item + " must hide the middle group");
      default -> throw new AssertionError(item);
    }
  }

  /** A card number from an issuer's range, Luhn-valid, run together or grouped as printed. */
  private static String card(FuzzedDataProvider data) {
    int length = data.consumeInt(13, 19);
    StringBuilder digits = new StringBuilder(data.pickValue(List.of("4", "51", "2221", "2720", "37", "6011", "94")));
    while (digits.length() < length - 1) {
      digits.append(data.consumeInt(0, 9));
    }
    digits.append(luhnCheckDigit(digits));
    String separator = data.pickValue(List.of("", "-", " "));
    if (separator.isEmpty() || length != 16) {
      return digits.toString();
    }
    return String.join(separator, digits.substring(0, 4), digits.substring(4, 8), digits.substring(8, 12),
        digits.substring(12));
  }

  private static String phone(FuzzedDataProvider data) {
    String separator = data.pickValue(List.of("", "-", " ", "."));
    return data.pickValue(List.of("010", "011", "02", "031", "064", "070", "+82 10", "+8210")) + separator
        + number(data, data.consumeInt(3, 4)) + separator + number(data, 4);
  }

  private static String registrationNumber(FuzzedDataProvider data) {
    return String.format("%02d%02d%02d", data.consumeInt(0, 99), data.consumeInt(1, 12), data.consumeInt(1, 28))
        + data.pickValue(List.of("-", "", " ")) + data.consumeInt(1, 8) + number(data, 6);
  }

  private static String number(FuzzedDataProvider data, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(data.consumeInt(0, 9));
    }
    return out.toString();
  }

  private static int luhnCheckDigit(CharSequence payload) {
    int sum = 0;
    boolean doubled = true;
    for (int i = payload.length() - 1; i >= 0; i--) {
      int digit = payload.charAt(i) - '0';
      if (doubled) {
        digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      }
      sum += digit;
      doubled = !doubled;
    }
    return (10 - sum % 10) % 10;
  }
}
