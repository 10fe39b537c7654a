package io.sangdam.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
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
 * first bytes of each later one (the wait between requests is the idle check's). Its body then
 * has as long again, and one second more for each {@link #MIN_BODY_BYTES_PER_SECOND} bytes that
 * arrive (as Apache's mod_reqtimeout does): an upload on a slow line goes on as long as it moves,
 * while a body trickled a byte at a time runs out. A connection that misses either deadline is
 * closed without an answer. The idle check alone cannot catch a client that trickles one byte
 * every few seconds: each byte is life to it. After the WebSocket upgrade the {@code hello}
 * deadline ({@link HelloDeadline}) takes over.
 */
final class RequestDeadline extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);
  /** The slowest a body may arrive on average: 8 kbit/s, below any line a customer could upload a file on. */
  static final int MIN_BODY_BYTES_PER_SECOND = 1024;

  /** Where the connection is in its current request; the timer runs in {@code HEAD} and {@code BODY}. */
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
  /** When the body must be in, by {@link System#nanoTime()}: pushed back as its bytes arrive. */
  private long bodyDeadline;

  RequestDeadline(Duration deadline) {
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
      bodyDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      awaitBody(ctx, millis);
    }
    if (msg instanceof HttpContent content && state == State.BODY) {
      bodyDeadline += TimeUnit.SECONDS.toNanos(content.content().readableBytes()) / MIN_BODY_BYTES_PER_SECOND;
    }
    if (msg instanceof LastHttpContent && state == State.BODY) {
      stop();
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

  /** Checks the body's deadline in {@code delayMillis}: it may have moved on since, as bytes came. */
  private void awaitBody(ChannelHandlerContext ctx, long delayMillis) {
    timer = ctx.executor().schedule(() -> {
      long left = bodyDeadline - System.nanoTime();
      if (left > 0) {
        awaitBody(ctx, TimeUnit.NANOSECONDS.toMillis(left) + 1);
      } else {
        log.debug("connection {} closed: request body slower than {} bytes/s", ctx.channel().remoteAddress(),
            MIN_BODY_BYTES_PER_SECOND);
        ctx.close();
      }
    }, delayMillis, TimeUnit.MILLISECONDS);
  }

  private void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
