package io.sangdam.attachment;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a file is. A browser's Content-Type is a claim: where a type has a known signature the
 * content must carry it, so a script cannot be sent as {@code image/png}; markup (HTML, SVG) is
 * never accepted, whatever it is sent as. Only raster images are ever shown inline; every other
 * type is served as a download.
 */
final class FileTypes {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
  private static final byte[] PDF = {'%', 'P', 'D', 'F', '-'};
  private static final byte[] ZIP = {'P', 'K', 3, 4};
  private static final byte[] OLE = {(byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0, (byte) 0xa1, (byte) 0xb1, 0x1a,
      (byte) 0xe1};

  /** Images a browser may show inline: decoded as pictures, never run as documents. */
  static final Set<String> INLINE = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

  /** What browsers and phones send for a file they cannot name, by extension. */
  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("pdf", "application/pdf"),
      Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"), Map.entry("hwp", "application/x-hwp"),
      Map.entry("zip", "application/zip"), Map.entry("doc", "application/msword"),
      Map.entry("xls", "application/vnd.ms-excel"), Map.entry("ppt", "application/vnd.ms-powerpoint"),
      Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
      Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
      Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"));

  /** Other names browsers use for a type, read as the name the configuration lists. */
  private static final Map<String, String> ALIASES = Map.of(
      "application/haansofthwp", "application/x-hwp", "application/vnd.hancom.hwp", "application/x-hwp",
      "image/jpg", "image/jpeg", "image/pjpeg", "image/jpeg", "application/x-pdf", "application/pdf");

  /** Types whose content must start with a signature of its own ({@link #matches}). */
  private static final Set<String> SIGNED = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
      "application/pdf", "application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/x-hwp",
      "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint");

  /** Names a browser opens as a page (or an SVG picture, which can run scripts too) once saved. */
  private static final Set<String> MARKUP_EXTENSIONS = Set.of("html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml",
      "svg", "svgz", "xml", "xsl", "xslt");

  /**
   * Tags that make a browser (or an old one sniffing the first bytes) treat text as a page: the
   * openings the WHATWG MIME sniffing standard looks for, plus SVG and XML.
   */
  private static final String[] MARKUP_OPENINGS = {"<!doctype html", "<html", "<head", "<script", "<iframe", "<h1",
      "<div", "<font", "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p", "<!--", "<?xml", "<svg"};
  /** Tags refused anywhere near the start of a text, not only as its opening. */
  private static final String[] ACTIVE_TAGS = {"<!doctype", "<html", "<script", "<svg", "<iframe", "<object", "<embed",
      "<?xml"};
  /** How far into a text tags are looked for: what browsers have sniffed, with room to spare. */
  private static final int SNIFFED_BYTES = 1024;

  private FileTypes() {}

  /**
   * The media type of an upload: the declared one without parameters, lower-cased; when nothing
   * useful was declared, the one the file's extension names, or the one its content shows.
   */
  static Optional<String> of(String declared, String fileName, byte[] content) {
    String type = declared == null ? "" : declared.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!type.isEmpty() && !type.equals("application/octet-stream")) {
      return Optional.of(ALIASES.getOrDefault(type, type));
    }
    int dot = fileName.lastIndexOf('.');
    String byName = dot < 0 ? null : BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    return Optional.ofNullable(byName).or(() -> sniff(content));
  }

  /** The image or PDF type the content's signature shows, if any. */
  static Optional<String> sniff(byte[] content) {
    for (String type : new String[] {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}) {
      if (matches(type, content)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the content is what {@code type} says. Types with a signature must carry it; text
   * must be UTF-8 without NUL bytes; types this server knows no signature for pass.
   */
  static boolean matches(String type, byte[] content) {
    return switch (type) {
      case "image/png" -> startsWith(content, PNG);
      case "image/jpeg" -> startsWith(content, JPEG);
      case "image/gif" -> startsWith(content, "GIF87a".getBytes(StandardCharsets.US_ASCII))
          || startsWith(content, "GIF89a".getBytes(StandardCharsets.US_ASCII));
      case "image/webp" -> startsWith(content, "RIFF".getBytes(StandardCharsets.US_ASCII)) && content.length >= 12
          && Arrays.equals(content, 8, 12, "WEBP".getBytes(StandardCharsets.US_ASCII), 0, 4);
      case "application/pdf" -> startsWith(content, PDF);
      case "application/zip",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "application/vnd.openxmlformats-officedocument.presentationml.presentation" -> startsWith(content, ZIP);
      case "application/x-hwp", "application/msword", "application/vnd.ms-excel",
          "application/vnd.ms-powerpoint" -> startsWith(content, OLE);
      case "text/plain", "text/csv" -> isUtf8Text(content);
      default -> true;
    };
  }

  /**
   * Whether an upload is markup a browser could run: a name with a markup extension (saved and
   * opened, it is a page), or content that opens like one. Files of a type with a signature are not
   * read for tags: they cannot start with one, and pictures carry XML metadata legitimately.
   */
  static boolean isMarkup(String type, String fileName, byte[] content) {
    int dot = fileName.lastIndexOf('.');
    if (dot >= 0 && MARKUP_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT))) {
      return true;
    }
    return !SIGNED.contains(type) && looksLikeMarkup(content);
  }

  private static boolean looksLikeMarkup(byte[] content) {
    String head = new String(content, 0, Math.min(content.length, SNIFFED_BYTES), StandardCharsets.UTF_8)
        .toLowerCase(Locale.ROOT);
    String start = head.replaceFirst("^[\\uFEFF\\s]+", "");
    for (String opening : MARKUP_OPENINGS) {
      // As in the standard: the tag's name must end there (a space or '>'), so "<apple" is text.
      if (start.startsWith(opening) && (start.length() == opening.length() || opening.startsWith("<!--")
          || opening.startsWith("<?") || " >\t\n\r/".indexOf(start.charAt(opening.length())) >= 0)) {
        return true;
      }
    }
    for (String tag : ACTIVE_TAGS) {
      if (head.contains(tag)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(byte[] content, byte[] prefix) {
    return content.length >= prefix.length && Arrays.equals(content, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static boolean isUtf8Text(byte[] content) {
    for (byte b : content) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
