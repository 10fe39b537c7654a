package io.sangdam.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sangdam.api.ApiResponse;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;

/** Netty's aggregator, but a request over the limit gets PROTOCOL.md's JSON error (413) and the connection closes. */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  private final Json json;
  private final int maxBytes;

  JsonHttpObjectAggregator(int maxBytes, Json json) {
    super(maxBytes);
    this.json = json;
    this.maxBytes = maxBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ApiResponse error = ApiResponse.error(ErrorCode.TOO_LARGE, "request body over " + maxBytes + " bytes");
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(json.write(error.body())));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, ApiHandler.JSON);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CONNECTION, "close");
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
