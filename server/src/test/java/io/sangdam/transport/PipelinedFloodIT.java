package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.Memory;
import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An anonymous client that pipelines requests and never reads the answers: the server stops
 * reading it once its answers back up, so its memory stays bounded (the server runs in this JVM,
 * its heap and direct memory measured after GC), and the idle check ends the connection.
 */
class PipelinedFloodIT {
  private static final long MIB = 1024 * 1024;

  @RegisterExtension
  static final TestServer server = new TestServer().with("http.idleSeconds", "2");

  @Test
  void aClientThatPipelinesAndNeverReadsCostsBoundedMemoryAndIsCut() throws IOException {
    byte[] request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer burst = ByteBuffer.allocate(request.length * 1000);
    while (burst.remaining() >= request.length) {
      burst.put(request);
    }
    burst.flip();
    long before = Memory.usedAfterGc();
    long sent = 0;
    boolean cut = false;
    try (SocketChannel attacker = SocketChannel.open(); Selector selector = Selector.open()) {
      // The probe of the issue: a 4 KB receive buffer, pipelining for up to 8 s, never reading.
      attacker.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
      attacker.connect(new InetSocketAddress("127.0.0.1", server.port()));
      attacker.configureBlocking(false);
      attacker.register(selector, SelectionKey.OP_WRITE);
      ByteBuffer pending = burst.duplicate();
      long start = System.nanoTime();
      while (System.nanoTime() - start < 8_000_000_000L && !cut) {
        selector.select(100);
        selector.selectedKeys().clear();
        if (!pending.hasRemaining()) {
          pending = burst.duplicate();
        }
        try {
          sent += attacker.write(pending);
        } catch (IOException e) {
          cut = true;
        }
      }
      long grown = Memory.usedAfterGc() - before;
      System.out.printf("pipelined flood: %.1f MiB of requests accepted, memory grew %.1f MiB, cut %s%n",
          sent / (double) MIB, grown / (double) MIB, cut);
      assertTrue(grown < 16 * MIB, "the server grew by " + grown / MIB + " MiB");
      assertTrue(cut, "a client that reads nothing for http.idleSeconds is cut");
    }
  }
}
