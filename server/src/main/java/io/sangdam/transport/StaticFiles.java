package io.sangdam.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web apps (widget, agent console, admin console), packaged from {@code admin-web/} into the
 * server's jar under {@code web/}. Files are read once and kept with their type and an ETag; a
 * path that leaves the tree or names no file is not found. Only the apps' own top folders are
 * served, so nothing else on the class path can be asked for.
 */
final class StaticFiles {
  /** The apps' folders, each answered by its {@code index.html}. */
  static final Set<String> APPS = Set.of("widget", "agent", "admin", "shared");

  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"), Map.entry("woff2", "font/woff2"),
      Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"), Map.entry("txt", "text/plain; charset=utf-8"));

  /** A file to send: its bytes, type and strong ETag. */
  record File(byte[] content, String contentType, String etag) {}

  private final ClassLoader loader;
  private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();

  StaticFiles(ClassLoader loader) {
    this.loader = loader;
  }

  /** Whether {@code path} lies in one of the apps (the rest of the port is the API and the sockets). */
  static boolean serves(String path) {
    String[] parts = path.split("/", 3);
    return parts.length >= 2 && parts[0].isEmpty() && APPS.contains(parts[1]);
  }

  /** The file a request path names: {@code /agent/} is {@code web/agent/index.html}. */
  Optional<File> find(String path) {
    if (!serves(path) || path.contains("..") || path.contains("//") || path.contains("\\")) {
      return Optional.empty();
    }
    String name = path.endsWith("/") ? path + "index.html" : path;
    return files.computeIfAbsent(name, this::load);
  }

  private Optional<File> load(String name) {
    String resource = "web" + name;
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] content = in.readAllBytes();
      int dot = name.lastIndexOf('.');
      String type = TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT),
          "application/octet-stream");
      return Optional.of(new File(content, type, "\"" + sha256(content).substring(0, 32) + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
