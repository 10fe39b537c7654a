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
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web apps (widget, agent console, admin console), packaged from {@code admin-web/} into the
 * server's jar under {@code web/}. Files are read once and kept with their type and an ETag; a
 * path that leaves the tree or names no file is not found. Only the apps' own top folders are
 * served, so nothing else on the class path can be asked for, and the browser libraries they use:
 * {@code /webjars/chart.js/dist/chart.umd.min.js} is that file of the chart.js WebJar on the class
 * path, whatever its version, so the apps need not change when the dependency does.
 */
final class StaticFiles {
  /** The apps' folders, each answered by its {@code index.html}. */
  static final Set<String> APPS = Set.of("widget", "agent", "admin", "shared");
  private static final String WEBJARS = "webjars";
  /** The WebJars (npm) the apps load. */
  private static final Set<String> LIBRARIES = Set.of("chart.js");

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
    return parts.length >= 2 && parts[0].isEmpty() && (APPS.contains(parts[1]) || parts[1].equals(WEBJARS));
  }

  /** The file a request path names: {@code /agent/} is {@code web/agent/index.html}. */
  Optional<File> find(String path) {
    if (!serves(path) || path.contains("..") || path.contains("//") || path.contains("\\")) {
      return Optional.empty();
    }
    String name = path.endsWith("/") ? path + "index.html" : path;
    return files.computeIfAbsent(name, n -> resource(n).flatMap(this::load));
  }

  /** Where a path's file lies on the class path. */
  private Optional<String> resource(String name) {
    String[] parts = name.split("/", 4);
    if (!parts[1].equals(WEBJARS)) {
      return Optional.of("web" + name);
    }
    if (parts.length < 4 || !LIBRARIES.contains(parts[2])) {
      return Optional.empty();
    }
    return version(parts[2]).map(v -> "META-INF/resources/webjars/" + parts[2] + "/" + v + "/" + parts[3]);
  }

  private Optional<String> version(String library) {
    try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.webjars.npm/" + library + "/pom.properties")) {
      if (in == null) {
        return Optional.empty();
      }
      Properties properties = new Properties();
      properties.load(in);
      return Optional.ofNullable(properties.getProperty("version"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the version of " + library, e);
    }
  }

  private Optional<File> load(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] content = in.readAllBytes();
      int dot = resource.lastIndexOf('.');
      String type = TYPES.getOrDefault(dot < 0 ? "" : resource.substring(dot + 1).toLowerCase(Locale.ROOT),
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
