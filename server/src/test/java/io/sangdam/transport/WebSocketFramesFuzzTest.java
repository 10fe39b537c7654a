package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.sangdam.protocol.FieldsFuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes what a WebSocket client's bytes go through: Netty's frame decoder, UTF-8 check and frame aggregator as
 * {@link ServerInitializer} configures them, on an {@link EmbeddedChannel} after a real upgrade, then the JSON
 * codec and field reading of each text message ({@link FieldsFuzzTest#readFrame}).
 *
 * <p>The client's frames are generated (masked or not, fragmented, control frames between fragments, reserved
 * bits and opcodes, non-minimal lengths, invalid UTF-8, over 64 KiB), with raw fuzzed bytes after them, and the
 * bytes written in fuzzed pieces. A model of RFC 6455 says what must come out: while the frames are valid, exactly
 * the messages sent, in order, and a pong for each ping; after the first invalid one, those before it and a close
 * with 1002, 1007 or 1009, or a failure the session handler or {@link ErrorHandler} closes on as the client's
 * doing; never a failure the server would log as its own. Every buffer written in is released.
 *
 * <p>Kept inputs replay in every test run; {@code scripts/fuzz WebSocketFramesFuzzTest} fuzzes.
 */
class WebSocketFramesFuzzTest {
  private static final int MAX = ServerInitializer.MAX_FRAME_BYTES;
  private static final Set<Integer> VIOLATION_CODES = Set.of(1002, 1007, 1009);
  private static final String UPGRADE = "GET /ws/customer HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  private static final List<Integer> OPCODES = List.of(1, 1, 1, 0, 0, 2, 9, 10, 8, 3, 11);
  private static final List<String> TEXTS = List.of("{\"type\":\"hello\",\"tenant\":\"demo\",\"center\":\"seoul\"}",
      "{\"type\":\"send\",\"rid\":1,\"conversation\":7,\"cmid\":\"c1\",\"text\":\"안녕하세요\"}", "{\"type\":\"ping\"}",
      "{\"type\":\"resume\",\"conversation\":1,\"afterSeq\":0}", "😀", "{");

  /** One message as the session sees it: "text", "binary" or "pong", with its bytes. */
  private record Message(String kind, byte[] content) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Message m && m.kind.equals(kind) && Arrays.equals(m.content, content);
    }

    @Override
    public int hashCode() {
      return kind.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
      return kind + "(" + content.length + " bytes)";
    }
  }

  /** Where the session handler sits: records the messages and failures that reach it. */
  private static final class Session extends SimpleChannelInboundHandler<WebSocketFrame> {
    final List<Message> messages = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      String kind = frame instanceof TextWebSocketFrame ? "text" : frame instanceof BinaryWebSocketFrame ? "binary"
          : frame instanceof PongWebSocketFrame ? "pong" : frame.getClass().getSimpleName();
      messages.add(new Message(kind, ByteBufUtil.getBytes(frame.content())));
      if (frame instanceof TextWebSocketFrame text) {
        FieldsFuzzTest.readFrame(text.text());
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failures.add(cause);
    }
  }

  /** What the model expects: messages delivered, payloads of pongs answered, and whether the stream went wrong. */
  private static final class Expected {
    final List<Message> messages = new ArrayList<>();
    final List<byte[]> pongs = new ArrayList<>();
    boolean violated;
    boolean closing;
  }

  @FuzzTest
  void decodesFrames(FuzzedDataProvider data) {
    Session session = new Session();
    EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(MAX),
        new WebSocketServerProtocolHandler(serverConfig()), new WebSocketFrameAggregator(MAX), session);
    List<ByteBuf> written = new ArrayList<>();
    try {
      write(channel, written, UPGRADE.getBytes(StandardCharsets.US_ASCII));
      assertTrue(new String(drainOutbound(channel), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101"));

      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      Expected expected = new Expected();
      Fragments fragments = new Fragments();
      int frames = data.consumeInt(0, 24);
      for (int i = 0; i < frames && data.remainingBytes() > 0; i++) {
        writeFrame(data, stream, expected, fragments);
      }
      boolean rawTail = data.consumeBoolean();
      if (rawTail) {
        stream.writeBytes(data.consumeBytes(200));
      }
      byte[] bytes = stream.toByteArray();
      for (int at = 0; at < bytes.length; ) {
        int piece = data.consumeInt(1, Math.max(1, bytes.length - at));
        write(channel, written, Arrays.copyOfRange(bytes, at, at + piece));
        at += piece;
      }

      for (Throwable failure : session.failures) {
        // WebSocketSessionHandler closes with 1009 on the first; ErrorHandler closes quietly on the others.
        assertTrue(failure instanceof TooLongFrameException || ErrorHandler.isPeersFault(failure),
            () -> "a failure the server would log as its own: " + failure);
      }
      List<ServerFrame> sent = ServerFrame.parse(drainOutbound(channel));
      if (expected.violated || expected.closing || rawTail) {
        assertTrue(session.messages.size() >= expected.messages.size()
            && session.messages.subList(0, expected.messages.size()).equals(expected.messages),
            () -> "delivered " + session.messages + ", sent before the fault " + expected.messages);
      } else {
        assertEquals(expected.messages, session.messages, () -> "failures " + session.failures + ", sent " + sent);
        assertTrue(session.failures.isEmpty(), () -> "failures on valid frames: " + session.failures);
      }
      List<ServerFrame> pongs = sent.stream().filter(f -> f.opcode == 10).toList();
      if (!rawTail) {
        assertEquals(expected.pongs.size(), pongs.size(), "a pong for every ping");
      }
      for (int i = 0; i < Math.min(pongs.size(), expected.pongs.size()); i++) {
        assertTrue(Arrays.equals(expected.pongs.get(i), pongs.get(i).payload), "a pong echoes its ping");
      }
      if (expected.violated && !expected.closing && !rawTail) {
        boolean closedWithCode = sent.stream().anyMatch(f -> f.opcode == 8 && VIOLATION_CODES.contains(f.closeCode()));
        assertTrue(closedWithCode || !session.failures.isEmpty(),
            () -> "a bad frame must close with 1002, 1007 or 1009, or fail to the session handler; sent " + sent);
      }
    } finally {
      channel.finishAndReleaseAll();
      for (ByteBuf buf : written) {
        assertEquals(0, buf.refCnt(), "every buffer written in is released");
      }
    }
  }

  /** The one in {@link ServerInitializer#initChannel}. */
  private static WebSocketServerProtocolConfig serverConfig() {
    return WebSocketServerProtocolConfig.newBuilder()
        .websocketPath("/ws")
        .checkStartsWith(true)
        .maxFramePayloadLength(MAX)
        .allowExtensions(false)
        .dropPongFrames(false)
        .forceCloseTimeoutMillis(ServerInitializer.CLOSE_HANDSHAKE_MILLIS)
        .build();
  }

  /** The message being sent in fragments: its kind and bytes so far, or null between messages. */
  private static final class Fragments {
    String kind;
    ByteArrayOutputStream content;
  }

  private static void writeFrame(FuzzedDataProvider data, ByteArrayOutputStream out, Expected expected,
      Fragments fragments) {
    int opcode = data.pickValue(OPCODES);
    boolean fin = data.consumeInt(0, 3) != 0;
    int rsv = data.consumeInt(0, 31) == 0 ? data.consumeInt(1, 7) : 0;
    boolean masked = data.consumeInt(0, 31) != 0;
    byte[] payload = payload(data, opcode);
    // Now and then a longer length field than needed (which RFC 6455 forbids), never a shorter one.
    int lengthForm = Math.max(minimalLengthForm(payload.length),
        data.consumeInt(0, 15) == 0 ? data.consumeInt(1, 2) : 0);

    out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
    int lengthByte = lengthForm == 0 ? payload.length : lengthForm == 1 ? 126 : 127;
    out.write((masked ? 0x80 : 0) | lengthByte);
    if (lengthForm == 1) {
      out.write(payload.length >> 8);
      out.write(payload.length & 0xff);
    } else if (lengthForm == 2) {
      out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
    }
    byte[] mask = masked ? ByteBuffer.allocate(4).putInt(data.consumeInt()).array() : new byte[4];
    if (masked) {
      out.writeBytes(mask);
    }
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    model(expected, fragments, opcode, fin, rsv, masked, lengthForm > minimalLengthForm(payload.length), payload);
  }

  /** RFC 6455 as the server is configured: no extensions, masked frames only, at most 64 KiB per message. */
  private static void model(Expected expected, Fragments fragments, int opcode, boolean fin, int rsv, boolean masked,
      boolean longerLength, byte[] payload) {
    if (expected.violated || expected.closing) {
      return;
    }
    boolean control = opcode >= 8;
    if (rsv != 0 || !masked || longerLength || (opcode > 2 && opcode < 8) || opcode > 10
        || (control && (!fin || payload.length > 125)) || payload.length > MAX) {
      expected.violated = true;
      return;
    }
    switch (opcode) {
      case 8 -> expected.closing = true;
      case 9 -> expected.pongs.add(payload);
      case 10 -> expected.messages.add(new Message("pong", payload));
      case 0 -> {
        if (fragments.kind == null) {
          expected.violated = true;
          return;
        }
        fragments.content.writeBytes(payload);
      }
      default -> {
        if (fragments.kind != null) {
          expected.violated = true;
          return;
        }
        fragments.kind = opcode == 1 ? "text" : "binary";
        fragments.content = new ByteArrayOutputStream();
        fragments.content.writeBytes(payload);
      }
    }
    if (opcode <= 2 && fragments.content.size() > MAX) {
      expected.violated = true;
      return;
    }
    if (opcode <= 2 && fragments.kind.equals("text") && !isUtf8Prefix(fragments.content.toByteArray(), fin)) {
      expected.violated = true;
      return;
    }
    if (opcode <= 2 && fin) {
      expected.messages.add(new Message(fragments.kind, fragments.content.toByteArray()));
      fragments.kind = null;
      fragments.content = null;
    }
  }

  /**
   * Whether the bytes are UTF-8 as RFC 3629 has it (no overlong forms, surrogates or code points past U+10FFFF), or,
   * for a message not yet complete, could begin it.
   */
  private static boolean isUtf8Prefix(byte[] bytes, boolean complete) {
    int i = 0;
    while (i < bytes.length) {
      int lead = bytes[i] & 0xff;
      int continuations;
      int low = 0x80;
      int high = 0xbf;
      if (lead < 0x80) {
        i++;
        continue;
      } else if (lead >= 0xc2 && lead <= 0xdf) {
        continuations = 1;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        continuations = 2;
        low = lead == 0xe0 ? 0xa0 : 0x80;
        high = lead == 0xed ? 0x9f : 0xbf;
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        continuations = 3;
        low = lead == 0xf0 ? 0x90 : 0x80;
        high = lead == 0xf4 ? 0x8f : 0xbf;
      } else {
        return false;
      }
      for (int k = 1; k <= continuations; k++) {
        if (i + k >= bytes.length) {
          return !complete;
        }
        int next = bytes[i + k] & 0xff;
        if (k == 1 ? next < low || next > high : next < 0x80 || next > 0xbf) {
          return false;
        }
      }
      i += continuations + 1;
    }
    return true;
  }

  private static int minimalLengthForm(int length) {
    return length < 126 ? 0 : length <= 0xffff ? 1 : 2;
  }

  private static byte[] payload(FuzzedDataProvider data, int opcode) {
    return switch (data.consumeInt(0, 7)) {
      case 0 -> data.consumeBytes(40);
      case 1 -> {
        byte[] big = new byte[data.pickValue(List.of(125, 126, MAX, MAX + 1, 70_000))];
        Arrays.fill(big, (byte) 'a');
        yield big;
      }
      case 2 -> opcode == 8
          ? ByteBuffer.allocate(2).putShort(data.pickValue(List.of(1000, 1001, 1005, 1006, 1015, 2999, 3000, 4999,
              5000)).shortValue()).array()
          : data.consumeString(30).getBytes(StandardCharsets.UTF_8);
      default -> data.pickValue(TEXTS).getBytes(StandardCharsets.UTF_8);
    };
  }

  private static void write(EmbeddedChannel channel, List<ByteBuf> written, byte[] bytes) {
    if (!channel.isOpen()) {
      return;
    }
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    written.add(buf);
    channel.writeInbound(buf);
  }

  private static byte[] drainOutbound(EmbeddedChannel channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
      ByteBuf buf = (ByteBuf) o;
      try {
        out.writeBytes(ByteBufUtil.getBytes(buf));
      } finally {
        buf.release();
      }
    }
    return out.toByteArray();
  }

  /** A frame the server sent (never masked). */
  private record ServerFrame(int opcode, byte[] payload) {
    int closeCode() {
      return payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
    }

    static List<ServerFrame> parse(byte[] bytes) {
      List<ServerFrame> frames = new ArrayList<>();
      ByteBuffer in = ByteBuffer.wrap(bytes);
      while (in.remaining() >= 2) {
        int opcode = in.get() & 0x0f;
        int length = in.get() & 0x7f;
        if (length == 126) {
          length = in.getShort() & 0xffff;
        } else if (length == 127) {
          length = (int) in.getLong();
        }
        byte[] payload = new byte[length];
        in.get(payload);
        frames.add(new ServerFrame(opcode, payload));
      }
      assertEquals(0, in.remaining(), "the server sends whole frames");
      return frames;
    }

    @Override
    public String toString() {
      return "frame " + opcode + (opcode == 8 ? " " + closeCode() : "");
    }
  }
}
