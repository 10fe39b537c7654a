package io.sangdam.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a plain socket, for abuse tests: it reads only when told to (with a tiny
 * receive buffer, so the server's output backs up at once), and sends any frame, pings, bare
 * fragments and empty continuations included, as a browser never would.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CONTINUATION = 0x0;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;

  /** A frame from the server; for a close frame, {@code code} is its status code. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      return Json.parse(text());
    }

    public int code() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Upgrades {@code path} (e.g. {@code /ws/customer}); the socket's receive buffer is {@code receiveBuffer} bytes. */
  public static RawWebSocket connect(int port, String path, int receiveBuffer) {
    try {
      Socket socket = new Socket();
      // Before connecting, so the window the server sees is small from the start.
      socket.setReceiveBufferSize(receiveBuffer);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      RawWebSocket ws = new RawWebSocket(socket);
      ws.out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      ws.out.flush();
      String status = ws.headers();
      if (!status.startsWith("HTTP/1.1 101")) {
        throw new AssertionError("not upgraded: " + status);
      }
      return ws;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String headers() throws IOException {
    StringBuilder b = new StringBuilder();
    while (!b.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed during the upgrade: " + b);
      }
      b.append((char) c);
    }
    return b.toString();
  }

  public RawWebSocket sendText(Object json) {
    return frame(TEXT, true, json.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** One frame, masked as a client must; false once the server has closed the connection. */
  public boolean trySend(int opcode, boolean fin, byte[] payload) {
    try {
      frame(opcode, fin, payload);
      return true;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  public RawWebSocket frame(int opcode, boolean fin, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length);
    } else {
      f.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) payload.length >>> shift));
      }
    }
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    f.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    try {
      out.write(f.toByteArray());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The next whole frame from the server (fragments are not joined: the server does not fragment). */
  public Frame read() {
    try {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[Math.toIntExact(length)];
      in.readFully(payload);
      return new Frame(b0 & 0x0F, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next text frame parsed, which must be of {@code type}, passing over others. */
  public JsonNode until(String type) {
    while (true) {
      Frame f = read();
      if (f.opcode() == CLOSE) {
        throw new AssertionError("closed with " + f.code() + " while waiting for " + type);
      }
      if (f.opcode() == TEXT && type.equals(f.json().path("type").asText())) {
        return f.json();
      }
    }
  }

  /**
   * Reads until the server's close frame and returns its code; -1 if the connection ended without
   * one. Text frames on the way are counted into {@code seen} by their {@code type} when given.
   */
  public int closeCode(java.util.Map<String, Integer> seen) {
    try {
      while (true) {
        Frame f = read();
        if (f.opcode() == CLOSE) {
          return f.code();
        }
        if (seen != null && f.opcode() == TEXT) {
          seen.merge(f.json().path("type").asText(), 1, Integer::sum);
        }
      }
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof SocketTimeoutException) {
        throw new AssertionError("the server neither closed nor sent a close frame", e);
      }
      return -1;
    }
  }

  /** How long {@link #read} waits for a frame before it throws (10 s unless told). */
  public RawWebSocket readTimeout(int millis) {
    try {
      socket.setSoTimeout(millis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Ends the connection with a TCP reset instead of a FIN, as a client that crashed or lost its network. */
  public void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
