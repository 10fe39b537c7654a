package io.sangdam.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sangdam.api.Api;
import io.sangdam.api.ApiResponse;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;

/**
 * Netty's aggregator, with the limit of the request's path (uploads may be larger than other
 * requests); a request announcing more gets PROTOCOL.md's JSON error (413). A chunked body has no length up front: it is held to the largest limit here, and to its
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

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ApiResponse error = ApiResponse.error(ErrorCode.TOO_LARGE, "request body over " + limit(oversized) + " bytes");
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(json.write(error.body())));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, ApiHandler.JSON);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    // As Netty's own aggregator does: a keep-alive client still sending its body has the rest read
    // and dropped, then keeps the connection. Closing at once would reset the connection under the
    // client's feet, and it might never read the 413.
    if (oversized instanceof FullHttpMessage || !HttpUtil.isKeepAlive(oversized)) {
      response.headers().set(HttpHeaderNames.CONNECTION, "close");
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }

  private int limit(HttpMessage message) {
    return message instanceof HttpRequest request
        ? api.maxBodyBytes(new QueryStringDecoder(request.uri()).path()) : api.largestBodyBytes();
  }
}
