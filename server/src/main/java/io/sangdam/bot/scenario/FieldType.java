package io.sangdam.bot.scenario;

import io.sangdam.callback.PhoneNumbers;
import io.sangdam.privacy.Masking;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a form field collects, how a customer's answer is read (normalised, or refused) and how it is shown to staff
 * when personal. Answers arrive NFKC-normalised and stripped (see {@link FormField#read}), so full-width digits and
 * hyphens typed on a Korean keyboard read as ASCII.
 */
public enum FieldType {
  /** A person's name: letters of any script with spaces, dots, hyphens, apostrophes; no digits or symbols. */
  NAME("name", "성함을 다시 확인해 주세요. 한글이나 영문으로 입력해 주세요.", true),
  /** A Korean mobile number (010, and 011 and 016 to 019 still in use), read as 010-1234-5678. */
  PHONE("phone", "휴대폰 번호를 010-1234-5678 형식으로 입력해 주세요.", true),
  EMAIL("email", "이메일 주소를 name@example.com 형식으로 입력해 주세요.", true),
  /** A whole number, thousands separators allowed, within the field's min and max. */
  NUMBER("number", "숫자로 입력해 주세요.", false),
  /** An order number: letters, digits and hyphens, 4 to 40, unless the field gives its own pattern. */
  ORDER_NUMBER("orderNumber", "주문번호를 다시 확인해 주세요.", false),
  /** Free text, up to the field's maxLength, matching its pattern if it has one. */
  TEXT("text", "입력하신 내용을 다시 확인해 주세요.", false),
  /** A calendar date: 2026-12-02, 2026.12.02, 2026/12/02, 20261202 or 2026년 12월 2일, read as 2026-12-02. */
  DATE("date", "날짜를 2026-12-02 형식으로 입력해 주세요.", false);

  static final Pattern DEFAULT_ORDER_NUMBER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{3,39}");
  private static final int MAX_NAME = 50;
  private static final int MAX_EMAIL = 254;
  private static final Pattern EMAIL_ADDRESS = Pattern.compile(
      "[A-Za-z0-9._%+-]{1,64}+@[A-Za-z0-9-]{1,63}+(?:\\.[A-Za-z0-9-]{1,63}+)++");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,18}|-?[0-9]{1,3}(?:,[0-9]{3}){1,5}");
  private static final Pattern DAY = Pattern.compile(
      "([0-9]{4})\\s?[-./년]\\s?([0-9]{1,2})\\s?[-./월]\\s?([0-9]{1,2})\\s?(?:일)?\\.?|([0-9]{4})([0-9]{2})([0-9]{2})");

  private final String wire;
  private final String defaultMessage;
  private final boolean personalByDefault;

  FieldType(String wire, String defaultMessage, boolean personalByDefault) {
    this.wire = wire;
    this.defaultMessage = defaultMessage;
    this.personalByDefault = personalByDefault;
  }

  /** The name in scenario JSON: {@code name}, {@code phone}, {@code orderNumber}, ... */
  public String wire() {
    return wire;
  }

  /** Re-asked when an answer does not read, unless the field gives its own message. */
  public String defaultMessage() {
    return defaultMessage;
  }

  /** Whether a field of this type is masked for staff unless it says otherwise. */
  public boolean personalByDefault() {
    return personalByDefault;
  }

  public static Optional<FieldType> ofWire(String wire) {
    for (FieldType type : values()) {
      if (type.wire.equals(wire)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** The wire names, for the message refusing an unknown one. */
  static String wireNames() {
    StringBuilder out = new StringBuilder();
    for (FieldType type : values()) {
      out.append(out.length() == 0 ? "" : ", ").append(type.wire);
    }
    return out.toString();
  }

  /** The answer as kept, or empty when it does not read as this type; {@code answer} is already normalised. */
  Optional<String> read(String answer, FormField field) {
    int length = answer.codePointCount(0, answer.length());
    return switch (this) {
      case NAME -> length <= MAX_NAME && isName(answer) ? Optional.of(answer) : Optional.empty();
      case PHONE -> PhoneNumbers.mobile(answer);
      case EMAIL -> answer.length() <= MAX_EMAIL && EMAIL_ADDRESS.matcher(answer).matches() && hasTopLevelDomain(answer)
          ? Optional.of(answer) : Optional.empty();
      case NUMBER -> readNumber(answer, field);
      case ORDER_NUMBER, TEXT -> length <= field.maxLength() && matches(field.pattern(), answer)
          ? Optional.of(answer) : Optional.empty();
      case DATE -> readDate(answer);
    };
  }

  /** How staff see a kept value of this type when it is personal data. */
  String mask(String value) {
    return switch (this) {
      case NAME -> Masking.name(value);
      case PHONE, EMAIL -> Masking.contact(value);
      // Nothing in the value says which part identifies; a name's mask keeps only the first and last character.
      default -> Masking.name(value);
    };
  }

  private static boolean isName(String answer) {
    boolean letter = false;
    for (int i = 0; i < answer.length(); ) {
      int cp = answer.codePointAt(i);
      if (Character.isLetter(cp) || Character.getType(cp) == Character.NON_SPACING_MARK) {
        letter = true;
      } else if (" .-'·".indexOf(cp) < 0) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return letter;
  }

  private static boolean hasTopLevelDomain(String email) {
    String tld = email.substring(email.lastIndexOf('.') + 1);
    return tld.length() >= 2 && tld.chars().allMatch(Character::isLetter);
  }

  private static Optional<String> readNumber(String answer, FormField field) {
    if (answer.length() > 24 || !WHOLE_NUMBER.matcher(answer).matches()) {
      return Optional.empty();
    }
    long value = Long.parseLong(answer.replace(",", ""));
    if ((field.min() != null && value < field.min()) || (field.max() != null && value > field.max())) {
      return Optional.empty();
    }
    return Optional.of(Long.toString(value));
  }

  private static Optional<String> readDate(String answer) {
    Matcher m = DAY.matcher(answer);
    if (answer.length() > 20 || !m.matches()) {
      return Optional.empty();
    }
    int base = m.group(1) != null ? 1 : 4;
    try {
      return Optional.of(LocalDate.of(Integer.parseInt(m.group(base)), Integer.parseInt(m.group(base + 1)),
          Integer.parseInt(m.group(base + 2))).toString());
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /**
   * A whole match of an admin's pattern, given up as no match after a bounded number of character reads: a pattern
   * that backtracks badly ({@code (a+)+b}) costs one customer a re-ask, not the server a core.
   */
  static boolean matches(Pattern pattern, String answer) {
    if (pattern == null) {
      return true;
    }
    try {
      return pattern.matcher(new BoundedText(answer, 200_000)).matches();
    } catch (BoundedText.TooMuchWork e) {
      return false;
    }
  }

  /** Text that throws once it has been read more than {@code budget} times. */
  private static final class BoundedText implements CharSequence {
    private final String text;
    private final int[] left;

    BoundedText(String text, int budget) {
      this(text, new int[] {budget});
    }

    private BoundedText(String text, int[] left) {
      this.text = text;
      this.left = left;
    }

    @Override
    public char charAt(int index) {
      if (--left[0] < 0) {
        throw new TooMuchWork();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new BoundedText(text.substring(start, end), left);
    }

    @Override
    public String toString() {
      return text;
    }

    static final class TooMuchWork extends RuntimeException {
      TooMuchWork() {
        super(null, null, false, false);
      }
    }
  }
}
