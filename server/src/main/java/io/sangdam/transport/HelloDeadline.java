package io.sangdam.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * After the WebSocket upgrade, the client has {@code http.helloSeconds} to be let in: its
 * {@code hello} answered with {@code welcome}. Pings, pongs and other frames do not count, nor
 * does a refused {@code hello}. Else the server closes with {@value #CLOSE_CODE} and the reason
 * "no hello within N s": not 1008, which the consoles take for being signed out, so a client that
 * was only slow connects again.
 */
final class HelloDeadline extends ChannelInboundHandlerAdapter {
  /** An application close code, after HTTP's 408 Request Timeout. */
  static final int CLOSE_CODE = 4408;

  private final long seconds;
  private ScheduledFuture<?> timer;

  HelloDeadline(Duration deadline) {
    this.seconds = deadline.toSeconds();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof HandshakeComplete) {
      timer = ctx.executor().schedule(() -> expire(ctx), seconds, TimeUnit.SECONDS);
    }
    super.userEventTriggered(ctx, event);
  }

  private void expire(ChannelHandlerContext ctx) {
    WebSocketSessionHandler session = ctx.pipeline().get(WebSocketSessionHandler.class);
    if (session == null || !session.greeted()) {
      ctx.channel().writeAndFlush(new CloseWebSocketFrame(CLOSE_CODE, "no hello within " + seconds + " s"));
    }
    ctx.pipeline().remove(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (timer != null) {
      timer.cancel(false);
    }
    super.channelInactive(ctx);
  }
}
