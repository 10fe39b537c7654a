package io.sangdam.protocol;

/** Checks on inbound text that JSON lets through but UTF-8 storage cannot keep. */
final class Text {
  private Text() {}

  /** Whether {@code s} has a high surrogate not followed by a low one, or a low one not preceded by a high one. */
  static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(ch)) {
        return true;
      }
    }
    return false;
  }
}
