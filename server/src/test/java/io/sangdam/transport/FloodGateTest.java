package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.sangdam.presence.Session;
import io.sangdam.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloodGateTest {
  /** A session that admits {@code allowance} frames, then none. */
  private static final class CountingSession implements Session {
    private int allowance;
    private int asked;

    CountingSession(int allowance) {
      this.allowance = allowance;
    }

    @Override
    public boolean admit() {
      asked++;
      return allowance-- > 0;
    }

    @Override
    public void onText(String text) {}

    @Override
    public void onBinary() {}

    @Override
    public void onClose() {}

    @Override
    public boolean greeted() {
      return false;
    }
  }

  @Test
  void everyKindOfFrameIsCountedAndThoseOverTheLimitAreDroppedAndReleased() {
    FloodGate gate = new FloodGate();
    EmbeddedChannel channel = new EmbeddedChannel(gate);
    CountingSession session = new CountingSession(3);
    gate.admitTo(session);
    List<WebSocketFrame> frames = List.of(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})),
        new TextWebSocketFrame(false, 0, Unpooled.EMPTY_BUFFER),
        new ContinuationWebSocketFrame(false, 0, Unpooled.EMPTY_BUFFER),
        new PongWebSocketFrame(), new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {'x'})));
    for (WebSocketFrame f : frames) {
      channel.writeInbound(f);
    }
    assertEquals(5, session.asked, "pings, fragments and empty continuations are all counted");
    for (int i = 0; i < 3; i++) {
      WebSocketFrame passed = channel.readInbound();
      passed.release();
    }
    assertNull(channel.readInbound(), "the frames past the limit went no further");
    assertEquals(0, frames.get(3).refCnt(), "a dropped frame is released");
    assertEquals(0, frames.get(4).refCnt(), "a dropped frame is released");
    assertFalse(channel.finish());
  }

  @Test
  void aCloseFrameAlwaysPassesSoTheCloseHandshakeEnds() {
    FloodGate gate = new FloodGate();
    EmbeddedChannel channel = new EmbeddedChannel(gate);
    CountingSession session = new CountingSession(0);
    gate.admitTo(session);
    channel.writeInbound(new CloseWebSocketFrame(1000, "bye"));
    CloseWebSocketFrame close = assertInstanceOf(CloseWebSocketFrame.class, channel.readInbound());
    close.release();
    assertEquals(0, session.asked);
    assertFalse(channel.finish());
  }

  /** A client closed for not reading would otherwise pile up the pongs of its pings until it is cut off. */
  @Test
  void onceTheConnectionIsClosingOnlyTheCloseHandshakeIsRead() {
    FloodGate gate = new FloodGate();
    EmbeddedChannel channel = new EmbeddedChannel(gate);
    CountingSession session = new CountingSession(100);
    gate.admitTo(session);
    NettyOutbound out = new NettyOutbound(channel, new Json(), 1024, () -> { }, "192.0.2.1", new LoopDrains());
    gate.checkOutputOf(out);
    out.close(NettyOutbound.CLOSE_TOO_SLOW, "too slow");
    channel.runPendingTasks();
    WebSocketFrame ping = new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1}));
    WebSocketFrame text = new TextWebSocketFrame("{}");

    channel.writeInbound(ping, text, new CloseWebSocketFrame(1000, "bye"));

    CloseWebSocketFrame close = assertInstanceOf(CloseWebSocketFrame.class, channel.readInbound());
    close.release();
    assertNull(channel.readInbound(), "nothing but the close went on");
    assertEquals(0, ping.refCnt(), "a dropped frame is released");
    assertEquals(0, text.refCnt(), "a dropped frame is released");
    assertEquals(0, session.asked, "nor counted");
    channel.finishAndReleaseAll();
  }

  @Test
  void beforeTheUpgradeMadeASessionNothingIsCounted() {
    EmbeddedChannel channel = new EmbeddedChannel(new FloodGate());
    channel.writeInbound(new PingWebSocketFrame());
    WebSocketFrame passed = channel.readInbound();
    passed.release();
    assertFalse(channel.finish());
  }
}
