package io.sangdam.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sangdam.api.ApiResponse;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import java.nio.charset.StandardCharsets;

/**
 * The whole pipeline of a connection over a limit ({@link ConnectionLimits}): it is answered 503
 * {@code unavailable} with {@code Retry-After} the moment it opens, without reading a byte of the
 * request, and closed. The answer is made once, at start, so a refusal costs one write. On a TLS
 * port the connection is closed without an answer: a TLS handshake is the very cost a refusal
 * must not pay.
 */
@ChannelHandler.Sharable
final class ConnectionRefusal extends ChannelInboundHandlerAdapter {
  /** Seconds a refused client is asked to wait before trying again. */
  static final int RETRY_AFTER_SECONDS = 10;

  private final byte[] answer;

  private ConnectionRefusal(byte[] answer) {
    this.answer = answer;
  }

  static ConnectionRefusal answering(Json json, String message) {
    byte[] body = json.write(ApiResponse.error(ErrorCode.UNAVAILABLE, message).body());
    String head = "HTTP/1.1 503 Service Unavailable\r\n"
        + "Content-Type: " + ApiHandler.JSON + "\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Retry-After: " + RETRY_AFTER_SECONDS + "\r\n"
        + "Cache-Control: no-store\r\n"
        + "Connection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] answer = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, answer, 0, headBytes.length);
    System.arraycopy(body, 0, answer, headBytes.length, body.length);
    return new ConnectionRefusal(answer);
  }

  static ConnectionRefusal silent() {
    return new ConnectionRefusal(null);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (answer == null) {
      ctx.close();
    } else {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
