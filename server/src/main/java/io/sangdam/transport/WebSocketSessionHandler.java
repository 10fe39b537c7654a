package io.sangdam.transport;


import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.handler.timeout.IdleStateEvent;
import io.sangdam.config.TrustedProxies;
import io.sangdam.presence.Session;
import io.sangdam.presence.SessionFactory;
import io.sangdam.protocol.Json;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * After the upgrade, makes the customer or agent session, puts it behind the {@link FloodGate} and
 * feeds it frames until its connection starts closing. Tells the session's {@link NettyOutbound}
 * when the socket takes output again. Also watches for silence: an idle HTTP connection is closed;
 * an idle WebSocket is pinged once (any answer, a pong included, counts as life) and closed if it
 * stays silent.
 */
final class WebSocketSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final SessionFactory factory;
  private final Json json;
  private final TrustedProxies trustedProxies;
  private final LoopDrains drains;
  private NettyOutbound out;
  private Session session;
  private boolean pinged;
  private boolean ended;

  WebSocketSessionHandler(SessionFactory factory, Json json, TrustedProxies trustedProxies, LoopDrains drains) {
    this.factory = factory;
    this.json = json;
    this.trustedProxies = trustedProxies;
    this.drains = drains;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    pinged = false;
    super.channelRead(ctx, msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      if (out == null || pinged) {
        ctx.close();
      } else {
        pinged = true;
        ctx.writeAndFlush(new PingWebSocketFrame());
      }
      return;
    }
    if (event instanceof HandshakeComplete handshake) {
      ServerInitializer.markWebSocket(ctx.channel());
      out = new NettyOutbound(ctx.channel(), json, factory.outboundBytes(), this::endSession,
          clientAddress(ctx, handshake), drains);
      String path = new QueryStringDecoder(handshake.requestUri()).path();
      switch (path) {
        case "/ws/customer" -> session = factory.customer(out);
        case "/ws/agent" -> session = factory.agent(out);
        default -> out.close(WebSocketCloseStatus.POLICY_VIOLATION.code(), "unknown endpoint " + path);
      }
      FloodGate gate = ctx.pipeline().get(FloodGate.class);
      if (session != null && gate != null) {
        gate.admitTo(session);
        gate.checkOutputOf(out);
      }
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  /**
   * The TCP peer, or behind a trusted reverse proxy the address it says it serves ({@code http.trustedProxies}), as
   * for a REST request: what the audit log and the access records name as "from where".
   */
  private String clientAddress(ChannelHandlerContext ctx, HandshakeComplete handshake) {
    SocketAddress peer = ctx.channel().remoteAddress();
    return peer instanceof InetSocketAddress inet
        ? trustedProxies.clientAddress(inet.getAddress(), handshake.requestHeaders().getAll("X-Forwarded-For"))
        : String.valueOf(peer);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (session == null || out.isClosing()) {
      return;
    }
    if (frame instanceof TextWebSocketFrame text) {
      session.onText(text.text());
    } else if (!(frame instanceof PongWebSocketFrame)) {
      session.onBinary();
    }
  }

  /** Whether the client has been let in ({@link HelloDeadline}). */
  boolean greeted() {
    return session != null && session.greeted();
  }

  /** Closes from the server's side as {@link NettyOutbound#close} does: the session ends at once. */
  void close(int code, String reason) {
    out.close(code, reason);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (out != null && ctx.channel().isWritable()) {
      out.writable();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    endSession();
    super.channelInactive(ctx);
  }

  /**
   * Once: when the connection ends, or as soon as the server starts closing it, since the close
   * frame may wait long behind output a stalled client does not take, and until then an agent
   * would still be routed chats.
   */
  private void endSession() {
    if (session != null && !ended) {
      ended = true;
      session.onClose();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof TooLongFrameException && out != null) {
      out.close(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "frame over 64 KiB");
      return;
    }
    super.exceptionCaught(ctx, cause);
  }
}
