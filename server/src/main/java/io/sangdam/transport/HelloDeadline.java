package io.sangdam.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * After the WebSocket upgrade, the client has {@code http.helloSeconds} to be let in: its
 * {@code hello} answered with {@code welcome}. Pings, pongs and other frames do not count, nor
 * does a refused {@code hello}. Else the server closes with {@value #CLOSE_CODE} and the reason
 * "no hello within N s": not 1008, which the consoles take for being signed out, so a client that
 * was only slow connects again. The session ends with the close frame: nothing the client sends
 * after it is answered, and a client that does not answer the close is cut off.
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
    ctx.pipeline().remove(this);
    if (session == null) {
      ctx.close();
    } else if (!session.greeted()) {
      // Through the session's own close, not a bare close frame: Netty only records a close frame
      // written directly and never cuts the connection, so a client that ignored it stayed, and its
      // session went on taking frames, a late hello included. This ends the session at once and
      // cuts the connection if the client does not answer.
      session.close(CLOSE_CODE, "no hello within " + seconds + " s");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (timer != null) {
      timer.cancel(false);
    }
    super.channelInactive(ctx);
  }
}
