package io.sangdam.widget;

/** The WCAG 2 contrast ratio of two colours given as {@code #rrggbb}. */
final class Contrast {
  /** Text this size on a colour must reach this ratio to be read (WCAG AA, normal text). */
  static final double READABLE = 4.5;

  private Contrast() {}

  static double ratio(String a, String b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  private static double luminance(String hex) {
    int rgb = Integer.parseInt(hex.substring(1), 16);
    return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
  }

  private static double channel(int value) {
    double c = (value & 0xff) / 255.0;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
}
