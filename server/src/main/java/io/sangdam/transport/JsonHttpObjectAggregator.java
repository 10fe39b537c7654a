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
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  private final Api api;
  private final Json json;
  /** The head of the request being read, its path's limit, and how much of its body has come. */
  private HttpRequest current;
  private int currentLimit;
  private long received;
  /** The rest of the current request is dropped: it was refused before its body was all in. */
  private boolean discarding;

  JsonHttpObjectAggregator(Api api, Json json) {
    super(api.largestBodyBytes());
    this.api = api;
    this.json = json;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
    if (msg instanceof HttpRequest request && !(msg instanceof FullHttpRequest)) {
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
      received += content.content().readableBytes();
      if (received > currentLimit && !isHandlingOversizedMessage()) {
        discarding = true;
        releaseCurrentMessage();
        handleOversizedMessage(ctx, current);
        return;
      }
    }
    super.decode(ctx, msg, out);
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
