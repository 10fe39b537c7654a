package io.sangdam.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The web apps (widget, agent console, admin console), packaged from {@code admin-web/} into the
 * server's jar under {@code web/}. Files are read once and kept with their type and an ETag; a
 * path that leaves the tree or names no file is not found. Only the apps' own top folders are
 * served, so nothing else on the class path can be asked for, and the browser libraries they use:
 * {@code /webjars/chart.js/dist/chart.umd.min.js} is that file of the chart.js WebJar on the class
 * path, whatever its version, so the apps need not change when the dependency does.
 *
 * <p>Which files exist is listed once, at start; only those are ever read and kept. A name that
 * is not among them is answered "not found" without a look at the class path and without a trace
 * in memory, so any number of distinct missing names costs nothing.
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
  /** Every servable request path (a folder's as {@code .../index.html}) and where its file lies on the class path. */
  private final Map<String, String> resources;
  private final Map<String, File> files = new ConcurrentHashMap<>();

  StaticFiles(ClassLoader loader) {
    this.loader = loader;
    Map<String, String> found = new HashMap<>();
    for (String app : APPS) {
      list("web/" + app + "/").forEach(resource -> found.put(resource.substring("web".length()), resource));
    }
    for (String library : LIBRARIES) {
      version(library).ifPresent(v -> {
        String root = "META-INF/resources/webjars/" + library + "/" + v + "/";
        list(root).forEach(resource -> found.put(
            "/" + WEBJARS + "/" + library + "/" + resource.substring(root.length()), resource));
      });
    }
    this.resources = Map.copyOf(found);
  }

  /** Whether {@code path} lies in one of the apps (the rest of the port is the API and the sockets). */
  static boolean serves(String path) {
    String[] parts = path.split("/", 3);
    return parts.length >= 2 && parts[0].isEmpty() && (APPS.contains(parts[1]) || parts[1].equals(WEBJARS));
  }

  /** The file a request path names: {@code /agent/} is {@code web/agent/index.html}. */
  Optional<File> find(String path) {
    String resource = resources.get(path.endsWith("/") ? path + "index.html" : path);
    return resource == null ? Optional.empty() : Optional.of(files.computeIfAbsent(resource, this::load));
  }

  /** The files (not folders) under {@code folder} on the class path, in a jar or a directory. */
  private List<String> list(String folder) {
    List<String> names = new ArrayList<>();
    try {
      for (URL url : Collections.list(loader.getResources(folder))) {
        if (url.getProtocol().equals("jar")) {
          JarURLConnection connection = (JarURLConnection) url.openConnection();
          connection.setUseCaches(false);
          try (JarFile jar = connection.getJarFile()) {
            jar.stream().map(JarEntry::getName).filter(n -> n.startsWith(folder) && !n.endsWith("/")).forEach(names::add);
          }
        } else if (url.getProtocol().equals("file")) {
          Path root = Path.of(url.toURI());
          try (Stream<Path> tree = Files.walk(root)) {
            tree.filter(Files::isRegularFile)
                .forEach(f -> names.add(folder + root.relativize(f).toString().replace('\\', '/')));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the web apps' files under " + folder, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot list the web apps' files under " + folder, e);
    }
    return names;
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

  private File load(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " was listed at start but is gone from the class path");
      }
      byte[] content = in.readAllBytes();
      int dot = resource.lastIndexOf('.');
      String type = TYPES.getOrDefault(dot < 0 ? "" : resource.substring(dot + 1).toLowerCase(Locale.ROOT),
          "application/octet-stream");
      return new File(content, type, "\"" + sha256(content).substring(0, 32) + "\"");
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
