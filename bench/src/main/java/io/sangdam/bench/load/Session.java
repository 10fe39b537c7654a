package io.sangdam.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket client read frame by frame, for the failover runs where every answer matters (the
 * relay bench counts frames instead): its frames in an inbox, and {@link #CLOSED} once the socket is
 * gone, as when the node behind it is killed.
 */
final class Session implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** In the inbox once the connection has closed. */
  static final JsonNode CLOSED = JSON.createObjectNode().put("type", "closed");

  private final WsClients.Conn conn;
  private final BlockingQueue<JsonNode> inbox;

  private Session(WsClients.Conn conn, BlockingQueue<JsonNode> inbox) {
    this.conn = conn;
    this.inbox = inbox;
  }

  static Session open(WsClients clients, URI uri) throws Exception {
    BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    WsClients.Conn conn = clients.connect(uri, (c, text) -> {
      try {
        inbox.add(JSON.readTree(text));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).get(30, TimeUnit.SECONDS);
    conn.channel.closeFuture().addListener(f -> inbox.add(CLOSED));
    return new Session(conn, inbox);
  }

  /** A frame from name/value pairs. */
  static ObjectNode frame(Object... pairs) {
    ObjectNode node = JSON.createObjectNode();
    for (int i = 0; i < pairs.length; i += 2) {
      node.set((String) pairs[i], JSON.valueToTree(pairs[i + 1]));
    }
    return node;
  }

  Session send(JsonNode frame) {
    conn.send(frame.toString());
    return this;
  }

  /** The next frame of one of {@code types}, {@link #CLOSED}, or null after {@code timeout}; skips the others. */
  JsonNode next(Set<String> types, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      JsonNode frame = inbox.poll(left, TimeUnit.NANOSECONDS);
      if (frame == null || frame == CLOSED) {
        if (frame == CLOSED) {
          inbox.add(CLOSED); // stays closed for whoever reads next
        }
        return frame;
      }
      if (types.contains(frame.path("type").asText())) {
        return frame;
      }
    }
    return null;
  }

  /** The next frame of {@code type} within 30 s; fails on an error, a close or the time running out. */
  JsonNode expect(String type) throws InterruptedException {
    JsonNode frame = next(Set.of(type, "error"), Duration.ofSeconds(30));
    if (frame == null || !frame.path("type").asText().equals(type)) {
      throw new IllegalStateException("expected " + type + ", got " + frame);
    }
    return frame;
  }

  @Override
  public void close() {
    conn.close();
  }
}
