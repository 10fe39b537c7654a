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
 * A frame past the limit is dropped here. Close frames always pass, so the close handshake ends.
 */
final class FloodGate extends ChannelInboundHandlerAdapter {
  /** Set on the event loop once the upgrade made a session; until then nothing is counted. */
  private Session session;

  void admitTo(Session session) {
    this.session = session;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof WebSocketFrame && !(msg instanceof CloseWebSocketFrame) && session != null
        && !session.admit()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
