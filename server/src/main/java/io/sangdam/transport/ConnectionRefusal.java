package io.sangdam.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.sangdam.api.ApiResponse;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole pipeline of a connection over a limit ({@link ConnectionLimits}): it is answered 503
 * {@code unavailable} with {@code Retry-After} the moment it opens, without reading a byte of the
 * request, and closed. The answer is made once, at start, so a refusal costs one write. On a TLS
 * port the connection is closed without an answer: a TLS handshake is the very cost a refusal
 * must not pay.
 *
 * <p>The close is staged as {@link OneRequestAtATime}'s is: closing a socket with the client's
 * request unread makes the kernel reset the connection, and a client that has not read the 503
 * yet loses it. So the server's side is shut once the answer is sent, what the client still sends
 * is read and dropped, and the connection is closed when the client closes its side or after
 * {@link #LINGER_MILLIS}. At most {@link #MAX_LINGERING} refused connections linger at once; past
 * that a refusal closes at once, so a flood of refused connections holds no more than that.
 */
@ChannelHandler.Sharable
final class ConnectionRefusal extends ChannelInboundHandlerAdapter {
  /** Seconds a refused client is asked to wait before trying again. */
  static final int RETRY_AFTER_SECONDS = 10;
  /** How long a refused connection is kept for the client to read its 503 and close. */
  static final long LINGER_MILLIS = 1_000;
  /** Refused connections kept open at once for their client to read the 503. */
  static final int MAX_LINGERING = 256;

  private final AtomicInteger lingering = new AtomicInteger();

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
      ctx.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(sent -> {
        if (sent.isSuccess() && ctx.channel() instanceof DuplexChannel duplex && linger()) {
          ctx.channel().closeFuture().addListener(closed -> lingering.decrementAndGet());
          duplex.shutdownOutput();
          ctx.executor().schedule(() -> ctx.channel().close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
          ctx.channel().close();
        }
      });
    }
  }

  private boolean linger() {
    if (lingering.incrementAndGet() > MAX_LINGERING) {
      lingering.decrementAndGet();
      return false;
    }
    return true;
  }

  /** The request of a refused client, read only so that closing does not reset the connection. */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }
}
