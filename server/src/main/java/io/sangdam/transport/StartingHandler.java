package io.sangdam.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.sangdam.api.ApiResponse;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import java.util.Map;

/**
 * A connection made while the server starts (migrations, recovery, routing): every request gets
 * 503, {@code /ready} and {@code /health} with their usual bodies ({@code NOT_READY},
 * {@code DOWN}), anything else {@code unavailable}; then the connection is closed, so the client's
 * next one meets the ready server.
 */
final class StartingHandler extends ChannelInboundHandlerAdapter {
  private final Json json;

  StartingHandler(Json json) {
    this.json = json;
  }

  /** A connection that says nothing is not kept: nothing else in this pipeline would close it. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        Object body = switch (path) {
          case "/ready" -> Map.of("status", "NOT_READY");
          case "/health" -> Map.of("status", "DOWN");
          default -> ApiResponse.error(ErrorCode.UNAVAILABLE, "the server is starting; try again shortly").body();
        };
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.wrappedBuffer(json.write(body)));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
            .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
            .set(HttpHeaderNames.RETRY_AFTER, "5")
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }
}
