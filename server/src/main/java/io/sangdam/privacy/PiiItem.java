package io.sangdam.privacy;

/**
 * One piece of personal data found in a message: where it stands in the original text
 * ({@code start} inclusive, {@code end} exclusive), what it was and how it is shown to staff.
 */
public record PiiItem(Kind kind, int start, int end, String original, String masked) {
  /** What the item is; when two kinds match exactly the same characters, the earlier kind wins. */
  public enum Kind { MOBILE, PHONE, RRN, CARD, EMAIL }
}
