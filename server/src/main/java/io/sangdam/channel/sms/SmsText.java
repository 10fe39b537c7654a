package io.sangdam.channel.sms;

import java.util.ArrayList;
import java.util.List;

/**
 * A text's length as Korean carriers bill it, in EUC-KR bytes: 1 for ASCII, 2 for anything else (Hangul,
 * Hanja and symbols are 2 bytes in EUC-KR; carriers count a character outside it, an emoji say, as 2
 * as well). Up to {@value #SMS_BYTES} bytes goes as one SMS; longer as LMS of up to {@value #LMS_BYTES}
 * bytes each, split between characters, never inside one.
 */
public final class SmsText {
  public static final int SMS_BYTES = 90;
  public static final int LMS_BYTES = 2_000;

  /** One message to send: its type ({@code SMS} or {@code LMS}) and text. */
  public record Part(String type, String text) {}

  private SmsText() {}

  public static int bytes(String text) {
    return text.codePoints().map(SmsText::bytes).sum();
  }

  private static int bytes(int codePoint) {
    return codePoint < 0x80 ? 1 : 2;
  }

  public static List<Part> parts(String text) {
    if (bytes(text) <= SMS_BYTES) {
      return List.of(new Part("SMS", text));
    }
    List<Part> parts = new ArrayList<>();
    int start = 0;
    int size = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (size + bytes(cp) > LMS_BYTES) {
        parts.add(new Part("LMS", text.substring(start, i)));
        start = i;
        size = 0;
      }
      size += bytes(cp);
      i += Character.charCount(cp);
    }
    parts.add(new Part("LMS", text.substring(start)));
    return parts;
  }
}
