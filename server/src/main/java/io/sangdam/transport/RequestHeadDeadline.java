package io.sangdam.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client has {@code http.requestHeadSeconds} to send a request's whole head (the request line
 * and the headers): counted from the connection's start for its first request, and from the
 * first bytes of each later one (the wait between requests is the idle check's). A connection
 * that has not sent a complete head by then is closed without an answer. The idle check alone
 * cannot catch a client that trickles one byte every few seconds: each byte is life to it.
 * The body is not timed: an upload on a slow line may take long. After the WebSocket upgrade the
 * {@code hello} deadline ({@link HelloDeadline}) takes over.
 */
final class RequestHeadDeadline extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestHeadDeadline.class);

  /** Where the connection is in its current request; the timer runs only in {@code HEAD}. */
  private enum State {
    /** Waiting for the rest of a head. */
    HEAD,
    /** The head is in; its body may follow. */
    BODY,
    /** The request ended in the read now being handled; whatever else that read held is not a new start. */
    ENDED,
    /** Between requests: the next bytes read start a new head. */
    BETWEEN
  }

  private final long millis;
  private State state = State.BETWEEN;
  private ScheduledFuture<?> timer;

  RequestHeadDeadline(Duration deadline) {
    this.millis = deadline.toMillis();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      stop();
      state = State.BODY;
    }
    if (msg instanceof LastHttpContent && state == State.BODY) {
      state = State.ENDED;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state == State.ENDED) {
      state = State.BETWEEN;
    } else if (state == State.BETWEEN) {
      start(ctx);
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response && response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
      stop();
      ctx.write(msg, promise);
      ctx.pipeline().remove(this);
      return;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stop();
    ctx.fireChannelInactive();
  }

  private void start(ChannelHandlerContext ctx) {
    state = State.HEAD;
    timer = ctx.executor().schedule(() -> {
      log.debug("connection {} closed: no complete request head within {} ms", ctx.channel().remoteAddress(), millis);
      ctx.close();
    }, millis, TimeUnit.MILLISECONDS);
  }

  private void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
