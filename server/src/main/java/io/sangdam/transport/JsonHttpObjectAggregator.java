package io.sangdam.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sangdam.api.Api;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import java.util.List;

/**
 * Netty's aggregator, with the limit of the request's path (uploads may be larger than other
 * requests); a request announcing more gets PROTOCOL.md's JSON error (413), and the connection
 * ends. A chunked body has no length up front: it is counted as its chunks arrive, and refused the
 * same way the moment it passes its path's limit, so no more than that limit is ever held.
 *
 * <p>An upload, the one body that may be megabytes, is refused before a byte of it is read when
 * it carries no bearer token of a token's shape ({@link Api#mayCarryBody}): 401 and the end of the
 * connection, rather than reading and holding an anonymous client's file to refuse it after.
 *
 * <p>A body's bytes are taken from the port's {@link BodyBudget} as they arrive and given back once
 * the request is answered ({@link OneRequestAtATime.Turn#ANSWERED}) or the connection ends; a body
 * that does not fit is answered 503 {@code unavailable} with {@code Retry-After}, and the
 * connection ends.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  /** Seconds a client refused for the body budget is asked to wait: bodies in flight are answered within seconds. */
  static final int RETRY_AFTER_SECONDS = 5;
  private final Api api;
  private final Json json;
  private final BodyBudget budget;
  /** What the current request holds of the budget. */
  private long taken;
  /** The head of the request being read, its path's limit, and how much of its body has come. */
  private HttpRequest current;
  private int currentLimit;
  private long received;
  /** The rest of the current request is dropped: it was refused before its body was all in. */
  private boolean discarding;

  JsonHttpObjectAggregator(Api api, Json json, BodyBudget budget) {
    super(api.largestBodyBytes());
    this.api = api;
    this.json = json;
    this.budget = budget;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
    if (msg instanceof HttpRequest request && !(msg instanceof FullHttpRequest)) {
      giveBack();
      current = request;
      currentLimit = limit(request);
      received = 0;
      discarding = !api.mayCarryBody(new QueryStringDecoder(request.uri()).path(),
          request.headers().get(HttpHeaderNames.AUTHORIZATION));
      if (discarding) {
        ctx.writeAndFlush(ApiHandler.closingError(json, ErrorCode.UNAUTHORIZED,
            "an upload needs an Authorization: Bearer <token> header"));
        return;
      }
    } else if (msg instanceof HttpContent content && !(msg instanceof FullHttpRequest)) {
      if (discarding) {
        return;
      }
      int bytes = content.content().readableBytes();
      received += bytes;
      if (received > currentLimit && !isHandlingOversizedMessage()) {
        discard();
        handleOversizedMessage(ctx, current);
        return;
      }
      if (!isHandlingOversizedMessage()) {
        if (!budget.take(bytes)) {
          discard();
          FullHttpResponse busy = ApiHandler.closingError(json, ErrorCode.UNAVAILABLE,
              "the server is receiving too many requests at once; try again shortly");
          busy.headers().set(HttpHeaderNames.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
          ctx.writeAndFlush(busy);
          return;
        }
        taken += bytes;
      }
    }
    super.decode(ctx, msg, out);
  }

  /** The rest of the current request is dropped unread, and what it held is let go. */
  private void discard() {
    discarding = true;
    releaseCurrentMessage();
    giveBack();
  }

  private void giveBack() {
    budget.give(taken);
    taken = 0;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event == OneRequestAtATime.Turn.ANSWERED) {
      giveBack();
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    giveBack();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    giveBack();
    super.handlerRemoved(ctx);
  }

  @Override
  protected boolean isContentLengthInvalid(HttpMessage start, int maxContentLength) {
    return HttpUtil.getContentLength(start, -1L) > limit(start);
  }

  /**
   * A body announced over the path's limit with {@code Expect: 100-continue} is refused before the
   * client sends it, with the same 413 (Netty's own answer would have no JSON, and the general limit).
   */
  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    if (HttpUtil.is100ContinueExpected(start) && isContentLengthInvalid(start, maxContentLength)) {
      return tooLarge(start);
    }
    return super.newContinueResponse(start, maxContentLength, pipeline);
  }

  /**
   * The 413 ends the connection, as docs/protocol.md says: the rest of the body is never read as a
   * request. {@link OneRequestAtATime} closes it in stages, so the client still reads the answer.
   */
  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ctx.writeAndFlush(tooLarge(oversized));
  }

  private FullHttpResponse tooLarge(HttpMessage message) {
    return ApiHandler.closingError(json, ErrorCode.TOO_LARGE, "request body over " + limit(message) + " bytes");
  }

  private int limit(HttpMessage message) {
    return message instanceof HttpRequest request
        ? api.maxBodyBytes(new QueryStringDecoder(request.uri()).path()) : api.largestBodyBytes();
  }
}
