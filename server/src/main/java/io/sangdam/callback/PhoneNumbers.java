package io.sangdam.callback;

import java.text.Normalizer;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Korean mobile numbers as customers type them ({@code 010-1234-5678}, {@code 01012345678}, {@code +82 10 1234 5678},
 * full-width digits too), kept as {@code 010-1234-5678}: the one number a center can call back and a bot can ask for.
 */
public final class PhoneNumbers {
  private static final Pattern MOBILE = Pattern.compile(
      "(?:\\+82[- .]?0?|0)(1[016-9])[- .]?([0-9]{3,4})[- .]?([0-9]{4})");

  private PhoneNumbers() {}

  /** The number as kept, or empty when {@code typed} is no Korean mobile number. */
  public static Optional<String> mobile(String typed) {
    if (typed == null || typed.length() > 40) {
      return Optional.empty();
    }
    String answer = Normalizer.normalize(typed, Normalizer.Form.NFKC).strip();
    Matcher m = MOBILE.matcher(answer);
    // 010 numbers have had four middle digits since 2004; the older prefixes may still have three.
    return answer.length() <= 20 && m.matches() && (m.group(2).length() == 4 || !m.group(1).equals("10"))
        ? Optional.of("0" + m.group(1) + "-" + m.group(2) + "-" + m.group(3)) : Optional.empty();
  }
}
