package io.sangdam.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The end of every pipeline: whatever failed and was not handled is logged with the connection, and the connection closed. */
@ChannelHandler.Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {
  static final ErrorHandler INSTANCE = new ErrorHandler();
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (isPeersFault(cause)) {
      log.debug("connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }

  /**
   * A peer that drops the connection (also halfway through a fragmented WebSocket message or an HTTP
   * body: Netty's aggregators then report a premature closure), sends broken frames or speaks plain
   * HTTP (or bad TLS) to a TLS port is the client's problem, not the server's: noted at debug level
   * only, so that no anonymous client can fill the log with stack traces.
   */
  static boolean isPeersFault(Throwable cause) {
    return cause instanceof IOException || cause instanceof CorruptedFrameException
        || cause instanceof PrematureChannelClosureException
        || cause instanceof DecoderException && cause.getCause() instanceof SSLException;
  }
}
