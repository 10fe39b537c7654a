package io.sangdam.attachment;

import java.text.Normalizer;

/** File names as customers' devices send them, made safe to store, show and offer for saving. */
final class FileNames {
  static final int MAX_LENGTH = 200;

  private FileNames() {}

  /**
   * The last path segment only; control, bidirectional-override and reserved characters dropped
   * (a name cannot disguise {@code exe} as {@code txt} or climb directories); whitespace collapsed;
   * leading and trailing dots and spaces trimmed; composed Hangul (macOS sends it decomposed); at
   * most {@value #MAX_LENGTH} characters, keeping the extension. Empty when nothing usable is left.
   */
  static String sanitize(String raw) {
    String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    name = name.replaceAll("[\\p{Cntrl}\\p{Cf}<>:\"|?*]", "")
        .replaceAll("\\s+", " ")
        .replaceAll("^[. ]+|[. ]+$", "");
    if (name.codePointCount(0, name.length()) <= MAX_LENGTH) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
    String stem = name.substring(0, name.length() - extension.length());
    int keep = MAX_LENGTH - extension.codePointCount(0, extension.length());
    return stem.substring(0, stem.offsetByCodePoints(0, keep)).strip() + extension;
  }
}
