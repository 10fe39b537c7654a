package io.sangdam.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.sangdam.presence.Outbound;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.ServerMessage;

/** A session's way out: each message one JSON text frame. Safe from any thread (Netty queues the write on the channel's loop). */
final class NettyOutbound implements Outbound {
  private final Channel channel;
  private final Json json;

  NettyOutbound(Channel channel, Json json) {
    this.channel = channel;
    this.json = json;
  }

  @Override
  public void send(ServerMessage message) {
    if (channel.isActive()) {
      channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(json.write(message))));
    }
  }

  @Override
  public String remoteAddress() {
    return channel.remoteAddress() instanceof java.net.InetSocketAddress inet
        ? inet.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
  }

  /**
   * Sends the close frame; the protocol handler ends the connection when the client answers it,
   * or after {@link ServerInitializer#CLOSE_HANDSHAKE_MILLIS}. Cutting it at once would reset the
   * connection while the client still sends, and the client would lose the close code.
   */
  @Override
  public void close(int code, String reason) {
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
  }
}
