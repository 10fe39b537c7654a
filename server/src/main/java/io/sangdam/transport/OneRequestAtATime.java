package io.sangdam.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP connection serves one request at a time: the next is handed on only once the answer to
 * the previous one is written, so pipelined requests are answered in the order they came, however
 * long each takes. The connection reads only when it is ready for more (auto-read is off until the
 * WebSocket upgrade), so a client that pipelines cannot make the server hold more than one read of
 * requests waiting. Nor does it read, or hand on the next request, while the socket is not
 * writable (Netty's write-buffer high-water mark): a client that pipelines and never reads its
 * answers stalls itself, and the server holds at most the water mark of its output and one read
 * of its requests, until the idle check ({@code http.idleSeconds}) ends the connection.
 *
 * <p>An answer that says {@code Connection: close} is the connection's last: whatever the client
 * sends after it is dropped unread, and the connection is closed in stages (RFC 9112 section 9.6):
 * the server's side is shut once the answer is written, then the connection is closed when the
 * client closes its side, or after {@link ServerInitializer#CLOSE_HANDSHAKE_MILLIS}. Closing at once
 * while the client still sends (a body over the limit) would reset the connection, and the client
 * might never read the answer.
 */
final class OneRequestAtATime extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(OneRequestAtATime.class);
  /**
   * The longest a request may go unanswered, though the client waits silently: several queries at
   * the longest {@code db.queryTimeoutSeconds} that can be set for a report. Every failure is
   * answered ({@link ApiHandler}); this ends only a connection whose answer was lost to a fault,
   * which would otherwise be held forever, as the idle check does not count a waiting client.
   */
  static final long MAX_ANSWER_MILLIS = TimeUnit.MINUTES.toMillis(10);

  /** Told to the handlers behind this one when a request's answer is written: what it held may go. */
  enum Turn { ANSWERED }

  /** What came after the request being answered: its head, and what follows, until its turn. */
  private final ArrayDeque<HttpObject> waiting = new ArrayDeque<>();
  private boolean answering;
  /** Ends a connection whose request has gone unanswered for {@link #MAX_ANSWER_MILLIS}; null between requests. */
  private ScheduledFuture<?> overdue;
  private boolean closing;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject object)) {
      ctx.fireChannelRead(msg);
    } else if (closing) {
      ReferenceCountUtil.release(msg);
    } else if (!waiting.isEmpty() || answering && object instanceof HttpRequest) {
      waiting.add(object);
    } else {
      if (object instanceof HttpRequest) {
        startAnswering(ctx);
      }
      ctx.fireChannelRead(object);
    }
  }

  private void startAnswering(ChannelHandlerContext ctx) {
    answering = true;
    overdue = ctx.executor().schedule(() -> {
      log.warn("connection {} closed: its request went unanswered for {} ms", ctx.channel().remoteAddress(),
          MAX_ANSWER_MILLIS);
      ctx.channel().close();
    }, MAX_ANSWER_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void answered() {
    answering = false;
    if (overdue != null) {
      overdue.cancel(false);
      overdue = null;
    }
  }

  /**
   * A client waiting for its answer is silent, not idle: a slow answer must not cost it the
   * connection (up to {@link #MAX_ANSWER_MILLIS}).
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!(event instanceof IdleStateEvent && answering)) {
      ctx.fireUserEventTriggered(event);
    }
  }

  /**
   * While a request waits its turn, nothing more is read: it is already more than one. Nor while
   * answers wait to be sent: the client is not reading them ({@link #channelWritabilityChanged}).
   */
  @Override
  public void read(ChannelHandlerContext ctx) {
    if (waiting.isEmpty() && ctx.channel().isWritable()) {
      ctx.read();
    }
  }

  /** The client read enough of its answers: the turn that waited for it goes on. */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && !answering) {
      nextTurn(ctx);
    } else if (ctx.channel().isWritable()) {
      // The rest of the request being answered may have been asked for while the socket was full.
      read(ctx);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean informational = false;
    if (msg instanceof HttpResponse response) {
      if (response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
        upgraded(ctx, msg, promise);
        return;
      }
      informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      closing |= !informational && !HttpUtil.isKeepAlive(response);
    }
    ChannelFuture written = ctx.write(msg, promise);
    if (!(msg instanceof LastHttpContent) || informational) {
      return;
    }
    ctx.fireUserEventTriggered(Turn.ANSWERED);
    if (closing) {
      answered();
      releaseWaiting();
      written.addListener(f -> {
        if (f.isSuccess()) {
          closeInStages(ctx);
        } else {
          ctx.channel().close();
        }
      });
    } else {
      // The next request's turn starts after this write has run, never inside it.
      ctx.executor().execute(() -> {
        answered();
        nextTurn(ctx);
      });
    }
  }

  /** Hands on the next request, or reads for one; neither while the answers already written wait to be sent. */
  private void nextTurn(ChannelHandlerContext ctx) {
    if (closing || !ctx.channel().isActive() || !ctx.channel().isWritable()) {
      return;
    }
    boolean handed = false;
    while (!waiting.isEmpty() && !(answering && waiting.peek() instanceof HttpRequest)) {
      HttpObject next = waiting.poll();
      if (next instanceof HttpRequest) {
        startAnswering(ctx);
      }
      ctx.fireChannelRead(next);
      handed = true;
    }
    if (handed) {
      // Lets the aggregator ask for the rest of a request that is not complete yet.
      ctx.fireChannelReadComplete();
    } else {
      ctx.read();
    }
  }

  /** After {@code 101}, the connection carries WebSocket frames: read freely, and this handler steps out. */
  private void upgraded(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg, promise);
    answered();
    releaseWaiting();
    ctx.pipeline().remove(this);
    ctx.channel().config().setAutoRead(true);
  }

  private void closeInStages(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls != null) {
      tls.closeOutbound();
    } else if (ctx.channel() instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    }
    // Reads the client's last bytes (dropped above) until it closes too, which ends the connection.
    ctx.channel().config().setAutoRead(true);
    ctx.executor().schedule(() -> ctx.channel().close(), ServerInitializer.CLOSE_HANDSHAKE_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  private void releaseWaiting() {
    waiting.forEach(ReferenceCountUtil::release);
    waiting.clear();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    answered();
    releaseWaiting();
    ctx.fireChannelInactive();
  }
}
