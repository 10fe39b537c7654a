package io.sangdam.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sangdam.api.Api;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;

/**
 * Netty's aggregator, with the limit of the request's path (uploads may be larger than other
 * requests); a request announcing more gets PROTOCOL.md's JSON error (413), and the connection
 * ends. A chunked body has no length up front: it is held to the largest limit here, and to its
 * path's by the {@link ApiHandler}.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  private final Api api;
  private final Json json;

  JsonHttpObjectAggregator(Api api, Json json) {
    super(api.largestBodyBytes());
    this.api = api;
    this.json = json;
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
