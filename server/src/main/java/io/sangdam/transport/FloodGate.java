package io.sangdam.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.sangdam.presence.Session;

/**
 * Counts every frame a client sends against its session's flood limit, before anything answers
 * or joins it: pings, pongs, fragments and empty continuations cost the same as a whole message.
 * A frame past the limit is dropped here, and every frame once the connection is closing. Close
 * frames always pass, so the close handshake ends.
 * While the socket takes nothing, each frame also checks the session's output budget, which
 * Netty's own pongs count against.
 */
final class FloodGate extends ChannelInboundHandlerAdapter {
  /** Set on the event loop once the upgrade made a session; until then nothing is counted. */
  private Session session;
  /** The session's output, whose budget each frame checks while the socket takes nothing. */
  private NettyOutbound out;

  void admitTo(Session session) {
    this.session = session;
  }

  void checkOutputOf(NettyOutbound out) {
    this.out = out;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (out != null && msg instanceof WebSocketFrame && !ctx.channel().isWritable()) {
      // Before the ping is answered: its pong would be one more in a buffer the client never drains.
      out.checkBudget();
    }
    // Once the connection is closing nothing but the close handshake is read: a ping would still be answered,
    // and a client closed for not reading would pile up pongs until its connection is cut.
    if (msg instanceof WebSocketFrame && !(msg instanceof CloseWebSocketFrame)
        && (out != null && out.isClosing() || session != null && !session.admit())) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
