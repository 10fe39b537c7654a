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

  @Test
  void beforeTheUpgradeMadeASessionNothingIsCounted() {
    EmbeddedChannel channel = new EmbeddedChannel(new FloodGate());
    channel.writeInbound(new PingWebSocketFrame());
    WebSocketFrame passed = channel.readInbound();
    passed.release();
    assertFalse(channel.finish());
  }
}
