package io.sangdam.privacy;

import io.sangdam.privacy.PiiItem.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and masks personal data in free message text (개인정보 마스킹) for every staff view of a
 * transcript: mobile and landline numbers, resident and foreigner registration numbers, card
 * numbers and e-mail addresses.
 *
 * <p>An item is only recognised whole: digits glued to other digits or Latin letters
 * ({@code ABC01012345678XYZ}), or continued by {@code -}, {@code .} or {@code ,} and a digit
 * ({@code 123-010-1234-5678}, {@code 1,234,567}), belong to something bigger and are left alone.
 * Hangul may touch an item, since particles follow numbers directly ({@code 010-1234-5678이고요}).
 *
 * <p>This runs on every transcript view, so the text is walked once and the patterns are tried
 * only where a number or an e-mail address can begin; every pattern is bounded or possessive, so
 * no input makes the matching backtrack.
 */
public final class PiiMasking {
  /**
   * Raised with any change to what is found or how it is masked: what was derived from masked text (the search
   * index) is derived again.
   */
  public static final int RULES_VERSION = 1;
  private static final String NUMBER_ENDS = "(?![A-Za-z0-9_])(?![-.,][0-9])";

  // 0 or +82 (some keep the 0 after it), then a mobile prefix (01x), an area code or 070 (internet
  // phone, often a home line); 15xx, 16xx and 18xx business numbers have no 0 and never match.
  private static final Rule PHONE = new Rule(
      "(?:\\+82[-. ]?0?|0)(?<code>1[016-9]|2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70)[-. ]?"
          + "(?<middle>[0-9]{3,4})[-. ]?[0-9]{4}" + NUMBER_ENDS,
      PiiMasking::phone);

  // Birth date (month and day checked loosely), then the digit for century, sex and nationality:
  // 1-4 for citizens, 5-8 for foreigners.
  private static final Rule RRN = new Rule(
      "[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[- ]?[1-8](?<serial>[0-9]{6})" + NUMBER_ENDS,
      m -> item(Kind.RRN, m, hide(m, "serial")));

  // Run together, in four groups of four, or as Amex (4-6-5) and Diners (4-6-4) print them.
  private static final Rule CARD = new Rule(
      "(?:[0-9]{13,19}|[0-9]{4}(?:[- ][0-9]{4}){3}|[0-9]{4}[- ][0-9]{6}[- ][0-9]{4,5})" + NUMBER_ENDS,
      PiiMasking::card);

  // The top-level domain is checked in code: a pattern that must give back its last label would backtrack.
  private static final Rule EMAIL = new Rule(
      "[A-Za-z0-9._%+-]++@[A-Za-z0-9-]++(?:\\.[A-Za-z0-9-]++)++(?![A-Za-z0-9_])",
      PiiMasking::email);

  private static final List<Rule> NUMBERS = List.of(PHONE, RRN, CARD);

  private static final Comparator<PiiItem> READING_ORDER = Comparator.comparingInt(PiiItem::start)
      .thenComparing(Comparator.comparingInt(PiiItem::end).reversed())
      .thenComparing(PiiItem::kind);

  private PiiMasking() {}

  /**
   * The text with every item masked; {@code null} stays {@code null}. Where numbers overlap (a phone
   * number whose last group is a card's first), the digits either would hide are hidden: keeping one
   * of them whole would leave the other readable.
   */
  public static String mask(String text) {
    List<PiiItem> found = candidates(text);
    if (found.isEmpty()) {
      return text;
    }
    List<PiiItem> items = withoutOverlaps(found);
    // The same characters read as two kinds are one item, masked as the kind kept.
    Set<Long> keptSpans = items.stream().map(PiiMasking::span).collect(Collectors.toSet());
    char[] hidden = text.toCharArray();
    for (PiiItem item : found) {
      if (item.kind() != Kind.EMAIL && (items.contains(item) || !keptSpans.contains(span(item)))) {
        for (int i = item.start(); i < item.end(); i++) {
          if (item.masked().charAt(i - item.start()) == '*') {
            hidden[i] = '*';
          }
        }
      }
    }
    // An e-mail address changes length, so it replaces its span whole.
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (PiiItem item : items) {
      if (item.kind() == Kind.EMAIL) {
        out.append(hidden, copied, item.start() - copied).append(item.masked());
        copied = item.end();
      }
    }
    return out.append(hidden, copied, hidden.length - copied).toString();
  }

  /**
   * Every item found, in reading order and never overlapping. An item's index in this list is how
   * a permitted user names the one item to unmask: the same text always gives the same list.
   */
  public static List<PiiItem> find(String text) {
    return withoutOverlaps(candidates(text));
  }

  private static long span(PiiItem item) {
    return (long) item.start() << 32 | item.end();
  }

  /** Every item the patterns recognise, overlapping ones included. */
  private static List<PiiItem> candidates(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    List<PiiItem> found = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if ((isDigit(ch) || ch == '+') && startsNumber(text, i)) {
        for (Rule rule : NUMBERS) {
          rule.matchAt(text, i, found);
        }
      } else if (ch == '@') {
        int local = i;
        while (local > 0 && isLocalPart(text.charAt(local - 1))) {
          local--;
        }
        if (local < i) {
          EMAIL.matchAt(text, local, found);
        }
      }
    }
    return found;
  }

  /**
   * Where two items overlap (a phone number as an e-mail's local part, or a phone number whose last
   * group is a card's first), the longer one is kept, wherever it starts. Longest first, each kept
   * unless it overlaps one already kept; the result in reading order.
   */
  private static List<PiiItem> withoutOverlaps(List<PiiItem> candidates) {
    List<PiiItem> found = new ArrayList<>(candidates);
    found.sort(Comparator.comparingInt((PiiItem item) -> item.end() - item.start()).reversed()
        .thenComparing(READING_ORDER));
    TreeMap<Integer, PiiItem> kept = new TreeMap<>();
    for (PiiItem item : found) {
      Map.Entry<Integer, PiiItem> before = kept.floorEntry(item.start());
      Map.Entry<Integer, PiiItem> after = kept.ceilingEntry(item.start());
      if ((before == null || before.getValue().end() <= item.start())
          && (after == null || after.getKey() >= item.end())) {
        kept.put(item.start(), item);
      }
    }
    return List.copyOf(kept.values());
  }

  /** Whether a number begins here rather than continuing one, as after {@code 1,} or {@code 123-}. */
  private static boolean startsNumber(String text, int i) {
    if (i == 0) {
      return true;
    }
    char before = text.charAt(i - 1);
    if (isWordPart(before)) {
      return false;
    }
    boolean separator = before == '-' || before == '.' || before == ',';
    return !(separator && i >= 2 && isDigit(text.charAt(i - 2)));
  }

  private static PiiItem phone(Matcher m) {
    Kind kind = m.group("code").startsWith("1") ? Kind.MOBILE : Kind.PHONE;
    return item(kind, m, hide(m, "middle"));
  }

  private static PiiItem card(Matcher m) {
    String card = m.group();
    String digits = card.replace("-", "").replace(" ", "");
    return CardNumbers.isCardNumber(digits) ? item(Kind.CARD, m, CardNumbers.mask(card)) : null;
  }

  private static PiiItem email(Matcher m) {
    String address = m.group();
    String topLevel = address.substring(address.lastIndexOf('.') + 1);
    boolean letters = topLevel.length() >= 2 && topLevel.chars().allMatch(Character::isLetter);
    return letters ? item(Kind.EMAIL, m, Masking.contact(address)) : null;
  }

  private static PiiItem item(Kind kind, Matcher m, String masked) {
    return new PiiItem(kind, m.start(), m.end(), m.group(), masked);
  }

  /** The match with the digits of one group replaced by {@code *}. */
  private static String hide(Matcher m, String group) {
    String match = m.group();
    int from = m.start(group) - m.start();
    int to = m.end(group) - m.start();
    return match.substring(0, from) + "*".repeat(to - from) + match.substring(to);
  }

  private static boolean isDigit(char ch) {
    return ch >= '0' && ch <= '9';
  }

  private static boolean isWordPart(char ch) {
    return isDigit(ch) || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
  }

  private static boolean isLocalPart(char ch) {
    return isWordPart(ch) || ch == '.' || ch == '%' || ch == '+' || ch == '-';
  }

  /** A pattern tried at one position, and what its match is: {@code null} for a look-alike. */
  private record Rule(Pattern pattern, Function<Matcher, PiiItem> recognise) {
    Rule(String regex, Function<Matcher, PiiItem> recognise) {
      this(Pattern.compile(regex), recognise);
    }

    void matchAt(String text, int start, List<PiiItem> found) {
      Matcher m = pattern.matcher(text).region(start, text.length());
      if (m.lookingAt()) {
        PiiItem item = recognise.apply(m);
        if (item != null) {
          found.add(item);
        }
      }
    }
  }
}
