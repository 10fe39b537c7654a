package io.sangdam.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket test client: sends JSON, and waits (with a timeout, never a sleep) for what the server pushes. */
public final class WsClient implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** The type under which the answer to our ping is queued among the messages, in the order it came. */
  private static final String PONG = "(pong)";

  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private final java.util.Set<String> ignored = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
  /** Pings from the server, which the client answers by itself: the server's idle check at work. */
  private final java.util.concurrent.atomic.AtomicInteger serverPings = new java.util.concurrent.atomic.AtomicInteger();
  private final WebSocket socket;
  /** Waits until the server has handed out everything it had to push (its event bus is idle). */
  private final Runnable settle;

  private WsClient(URI uri, Runnable settle) {
    this.settle = settle;
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, new Listener()).join();
  }

  public static WsClient connect(URI uri) {
    return new WsClient(uri, () -> { });
  }

  /** A client whose {@link #assertNothingSoFar} first runs {@code settle}, which waits for the server's pushes in flight. */
  public static WsClient connect(URI uri, Runnable settle) {
    return new WsClient(uri, settle);
  }

  public WsClient send(Object json) {
    return sendText(json.toString());
  }

  public WsClient sendText(String text) {
    socket.sendText(text, true).join();
    return this;
  }

  /** Sends unless the connection is already closing; false once it is (for floods that the server cuts off). */
  public boolean trySend(Object json) {
    try {
      socket.sendText(json.toString(), true).join();
      return true;
    } catch (java.util.concurrent.CompletionException e) {
      return false;
    }
  }

  /** As {@link #trySend}, for binary frames. */
  public boolean trySendBinary(byte[] bytes) {
    try {
      socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
      return true;
    } catch (java.util.concurrent.CompletionException e) {
      return false;
    }
  }

  public WsClient sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    return this;
  }

  /** From now on, messages of these types are dropped unread: for tests that are not about them. */
  public WsClient ignoring(String... types) {
    ignored.addAll(java.util.List.of(types));
    return this;
  }

  /** The next message, whatever it is (but the ignored types). */
  public JsonNode next() {
    return next(WAIT);
  }

  /** As {@link #next()}, waiting up to {@code wait}: for answers that may take longer, as in a database outage. */
  public JsonNode next(Duration wait) {
    try {
      long deadline = System.nanoTime() + wait.toNanos();
      while (true) {
        JsonNode m = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (m == null) {
          fail("no message within " + wait);
        }
        if (!ignored.contains(m.path("type").asText())) {
          return m;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next message, which must be of {@code type}. */
  public JsonNode next(String type) {
    JsonNode m = next();
    assertEquals(type, m.path("type").asText(), () -> "expected " + type + " but got " + m);
    return m;
  }

  /** The next message of {@code type}, passing over others: for where the order of unrelated pushes does not matter. */
  public JsonNode until(String type) {
    JsonNode m = next();
    while (!type.equals(m.path("type").asText())) {
      m = next();
    }
    return m;
  }

  /** Whether anything (ignored types too) arrives within {@code millis}; what arrives is dropped. A fixed window, as {@link #quietFor}. */
  public boolean heardWithin(long millis) {
    try {
      return received.poll(millis, TimeUnit.MILLISECONDS) != null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** How many messages (ignored types too) arrive within {@code millis}; they are dropped. */
  public int countWithin(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    int count = 0;
    try {
      while (received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) != null) {
        count++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return count;
  }

  /** Everything received so far, without waiting. */
  public java.util.List<JsonNode> drain() {
    java.util.List<JsonNode> all = new java.util.ArrayList<>();
    received.drainTo(all);
    return all;
  }

  /**
   * Asserts that nothing (but the ignored types) came before the server's answer to a ping sent now:
   * a round trip instead of a quiet window. It proves what the server had sent this socket by the
   * time it read the ping; so check only after the action that must not reach this socket has been
   * answered, e.g. once its sender got its own reply. A client of a {@link TestServer} first waits
   * until the server's conversation events are all delivered, so a push still on its way is not missed.
   */
  public void assertNothingSoFar(String why) {
    settle.run();
    String mark = "sync-" + pings.incrementAndGet();
    socket.sendPing(ByteBuffer.wrap(mark.getBytes(java.nio.charset.StandardCharsets.UTF_8))).join();
    JsonNode m = next();
    if (!PONG.equals(m.path("type").asText()) || !mark.equals(m.path("data").asText())) {
      fail(why + ": expected nothing before the answer to " + mark + " but got " + m);
    }
  }

  /** As {@link #assertNothingSoFar(String)}. */
  public void assertNothingSoFar() {
    assertNothingSoFar("nothing more was expected");
  }

  /**
   * Whether nothing arrives within {@code millis}: a fixed window, for where no round trip proves the
   * silence (the server's own timers, a connection that is not let in); {@link #assertNothingSoFar} otherwise.
   */
  public boolean quietFor(long millis) {
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      JsonNode m;
      do {
        m = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } while (m != null && ignored.contains(m.path("type").asText()));
      if (m != null) {
        fail("expected nothing but got " + m);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Waits until the server has pinged {@code count} times since the connection opened: each ping
   * is an idle period ({@code http.idleSeconds}) that the client outlived by answering.
   */
  public void awaitServerPings(int count) {
    Eventually.eventually(count + " pings from the server", serverPings::get, n -> n >= count);
  }

  /** The close code the server sent. */
  public int awaitClose() {
    return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  public boolean isOpen() {
    return !socket.isInputClosed() && !closeCode.isDone();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(Json.parse(partial.toString()));
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
      serverPings.incrementAndGet(); // the client itself sends the pong
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
      received.add(Json.of("type", PONG, "data", java.nio.charset.StandardCharsets.UTF_8.decode(message).toString()));
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closeCode.complete(-1);
    }
  }
}
