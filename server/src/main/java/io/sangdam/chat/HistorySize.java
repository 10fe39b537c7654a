package io.sangdam.chat;

/**
 * About how many bytes a message takes in a {@code history} answer as JSON, never less: its text
 * (and file name) as UTF-8 with JSON's escapes, and room for the other fields.
 */
final class HistorySize {
  /** The fields besides the text: type, conversation, seq, from, the sender's name, at. */
  private static final int MESSAGE_FIELDS = 400;
  /** An attachment's fields besides its name. */
  private static final int ATTACHMENT_FIELDS = 400;

  private HistorySize() {}

  static long of(StoredMessage m) {
    long size = MESSAGE_FIELDS + json(m.body());
    if (m.attachment() != null) {
      size += ATTACHMENT_FIELDS + json(m.attachment().name());
    }
    return size;
  }

  /** A string's length in JSON: a control character as a six-character escape, a quote or backslash as two. */
  static long json(String s) {
    if (s == null) {
      return 4;
    }
    long n = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20) {
        n += 6;
      } else if (c == '"' || c == '\\') {
        n += 2;
      } else if (c < 0x80) {
        n += 1;
      } else if (c < 0x800 || Character.isSurrogate(c)) {
        // A surrogate pair is four bytes in UTF-8: two for each half.
        n += 2;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
