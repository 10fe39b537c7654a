package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A node as it registers itself with the others ({@link NodeRegistry}): its unique {@code name}
 * ({@code cluster.nodeName}, or the host name), its {@code id} (kept in its data directory,
 * {@link DataDirectory}: the same across its crash restarts), where it serves, what it runs
 * (the Sangdam {@code version}, and the {@code protocol} it speaks to other nodes,
 * {@link ClusterProtocol}), when it started, and the {@code centers} ("tenant/center") it prefers to own.
 */
public record NodeInfo(String name, String id, String host, int port, long pid, String version, int protocol,
    Instant startedAt, List<String> centers) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public NodeInfo {
    requireNonNull(name, "name");
    requireNonNull(id, "id");
    requireNonNull(host, "host");
    requireNonNull(version, "version");
    requireNonNull(startedAt, "startedAt");
    centers = List.copyOf(centers);
  }

  /** "seoul-1 (host web1, port 8080, pid 4242, Sangdam 1.4.0, since 2026-01-05T01:02:03Z)", for the operator. */
  public String describe() {
    return name + " (host " + host + ", port " + port + ", pid " + pid + ", Sangdam " + version + ", since "
        + startedAt + ")";
  }

  /** Its registry entry: JSON, with {@code protocol} so that a node of another version can tell. */
  byte[] toJson() {
    ObjectNode node = JSON.createObjectNode()
        .put("name", name).put("id", id).put("host", host).put("port", port).put("pid", pid)
        .put("version", version).put("protocol", protocol).put("startedAt", startedAt.toString());
    centers.forEach(node.putArray("centers")::add);
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a node's entry", e);
    }
  }

  /**
   * Reads an entry written by {@link #toJson()}, by this version or another: fields it does not
   * know are ignored. Throws {@link IllegalArgumentException} when the entry is not one.
   */
  static NodeInfo fromJson(byte[] entry) {
    try {
      JsonNode node = JSON.readTree(entry);
      if (node == null || !node.path("name").isTextual() || !node.path("id").isTextual()) {
        throw new IllegalArgumentException("not a node's entry: " + new String(entry, StandardCharsets.UTF_8));
      }
      List<String> centers = new ArrayList<>();
      node.path("centers").forEach(c -> centers.add(c.asText()));
      return new NodeInfo(node.path("name").asText(), node.path("id").asText(), node.path("host").asText(""),
          node.path("port").asInt(), node.path("pid").asLong(), node.path("version").asText(""),
          node.path("protocol").asInt(), Instant.parse(node.path("startedAt").asText()), centers);
    } catch (IOException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a node's entry: " + e.getMessage(), e);
    }
  }
}
