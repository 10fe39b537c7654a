package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The output budget on a channel without a network: frames of any size, and what Netty writes by itself, count. */
class NettyOutboundTest {
  private static final int BUDGET = 256 * 1024;

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final AtomicBoolean ended = new AtomicBoolean();
  private final NettyOutbound out = new NettyOutbound(channel, new Json(), BUDGET, () -> ended.set(true),
      "192.0.2.1", new LoopDrains());

  private static ServerMessage.Error sized(int chars) {
    return new ServerMessage.Error(null, ErrorCode.BAD_REQUEST, "x".repeat(chars));
  }

  /** The frames written, in order, pongs skipped; the close frame's code, or -1 for a text frame. */
  private int nextFrameCode() {
    while (true) {
      WebSocketFrame f = channel.readOutbound();
      try {
        if (f == null) {
          return 0;
        }
        if (f instanceof CloseWebSocketFrame close) {
          return close.statusCode();
        }
        if (f instanceof TextWebSocketFrame) {
          return -1;
        }
      } finally {
        ReferenceCountUtil.release(f);
      }
    }
  }

  @Test
  void aMessageWithinTheBudgetIsWritten() {
    out.send(sized(1_000));
    assertEquals(-1, nextFrameCode());
    assertTrue(!ended.get());
  }

  @Test
  void aSingleMessageLargerThanTheBudgetIsNotWrittenAndClosesWith4008() {
    out.send(sized(BUDGET + 1));
    assertEquals(NettyOutbound.CLOSE_TOO_SLOW, nextFrameCode(), "no text frame, the close instead");
    assertTrue(ended.get(), "the session ends with the close");
  }

  @Test
  void pongsNettyHoldsCountAgainstTheBudgetOfTheNextMessage() {
    // Written but not yet flushed: what a socket that takes nothing leaves in Netty's buffer.
    channel.write(new PongWebSocketFrame(Unpooled.wrappedBuffer(new byte[BUDGET])));
    out.send(sized(1_000));
    assertEquals(NettyOutbound.CLOSE_TOO_SLOW, nextFrameCode());
  }

  @Test
  void pongsPilingUpWithNoMessageToSendCloseAtTheClientsNextFrame() {
    EmbeddedChannel socket = new EmbeddedChannel(new FloodGate());
    NettyOutbound output = new NettyOutbound(socket, new Json(), BUDGET, () -> ended.set(true),
        "192.0.2.1", new LoopDrains());
    socket.pipeline().get(FloodGate.class).checkOutputOf(output);
    socket.write(new PongWebSocketFrame(Unpooled.wrappedBuffer(new byte[BUDGET / 2])));
    socket.writeInbound(new PingWebSocketFrame());
    assertTrue(!ended.get(), "within the budget");
    socket.write(new PongWebSocketFrame(Unpooled.wrappedBuffer(new byte[BUDGET / 2 + 1])));
    socket.writeInbound(new PingWebSocketFrame());
    assertTrue(ended.get(), "the next ping finds the pongs over the budget");
    socket.finishAndReleaseAll();
  }
}
