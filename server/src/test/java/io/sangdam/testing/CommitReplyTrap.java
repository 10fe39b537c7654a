package io.sangdam.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP relay in front of MariaDB that, once {@link #arm armed} with a marker, lets through the
 * first statement that sends the marker (say, a message's text, in the message writer's insert,
 * which commits by itself) and swallows its answer: the statement is committed, and the client,
 * waiting for the OK, times out not knowing it was. {@link #armCommit} does the same to the COMMIT
 * of the transaction that sent the marker. That is what a database frozen (SIGSTOP) with the
 * statement already in its receive buffer, or a commit stalled past the client's timeout, does,
 * made certain instead of a matter of timing. Everything else is relayed as it is.
 */
public final class CommitReplyTrap implements AutoCloseable {
  private final ServerSocket listener;
  private final String host;
  private final int port;
  /** A COM_QUERY packet's command byte and text, as Connector/J sends {@code Connection.commit()}. */
  private static final byte[] COMMIT = "\3COMMIT".getBytes(StandardCharsets.US_ASCII);

  private final AtomicReference<Armed> armed = new AtomicReference<>();
  private final CountDownLatch swallowed = new CountDownLatch(1);
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Relays to the server of {@code jdbcUrl} ({@code jdbc:mariadb://host:port/...}). */
  public CommitReplyTrap(String jdbcUrl) {
    URI target = URI.create(jdbcUrl.substring("jdbc:".length()));
    this.host = target.getHost();
    this.port = target.getPort();
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "commit-trap");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code jdbcUrl} with its server replaced by this relay. */
  public String url(String jdbcUrl) {
    return jdbcUrl.replace("//" + host + ":" + port + "/", "//127.0.0.1:" + listener.getLocalPort() + "/");
  }

  /** What to swallow the answer of: the statement that sends {@code marker}, or the COMMIT after it. */
  private record Armed(byte[] marker, boolean atCommit) {}

  /** The statement that sends {@code text} (UTF-8) goes through unanswered, once. */
  public void arm(String text) {
    armed.set(new Armed(text.getBytes(StandardCharsets.UTF_8), false));
  }

  /** The COMMIT after the statement that sends {@code text} (UTF-8), on its connection, goes through unanswered, once. */
  public void armCommit(String text) {
    armed.set(new Armed(text.getBytes(StandardCharsets.UTF_8), true));
  }

  /** Waits until the armed statement has been sent to the database. */
  public boolean awaitSwallowed(long seconds) throws InterruptedException {
    return swallowed.await(seconds, TimeUnit.SECONDS);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(host, port);
        sockets.add(client);
        sockets.add(server);
        AtomicBoolean marked = new AtomicBoolean();
        AtomicBoolean mute = new AtomicBoolean();
        pump(client, server, marked, mute, true);
        pump(server, client, marked, mute, false);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /**
   * Copies {@code from} to {@code to}. The client's side, seeing the marker (or, armed for the commit, the COMMIT
   * after it on this connection), mutes the server's side of the connection.
   */
  private void pump(Socket from, Socket to, AtomicBoolean marked, AtomicBoolean mute, boolean fromClient) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          Armed now = armed.get();
          if (fromClient && now != null && now.atCommit() && contains(buffer, n, now.marker())) {
            marked.set(true);
          }
          boolean swallow = now != null && (now.atCommit() ? marked.get() && contains(buffer, n, COMMIT)
              : contains(buffer, n, now.marker()));
          if (fromClient && swallow && armed.compareAndSet(now, null)) {
            mute.set(true);
            out.write(buffer, 0, n);
            out.flush();
            swallowed.countDown();
          } else if (fromClient || !mute.get()) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // one side closed: the other goes too
      } finally {
        close(from);
        close(to);
      }
    }, "commit-trap-pump");
    t.setDaemon(true);
    t.start();
  }

  private static boolean contains(byte[] data, int length, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
    sockets.forEach(CommitReplyTrap::close);
  }
}
