package io.sangdam.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, with 400 {@code bad_request} and the end of the connection, a request whose end cannot
 * be found for sure (RFC 9112 section 6.1): one the decoder could not read (two lengths among
 * them, {@link HttpFraming}), one with any transfer coding but exactly {@code chunked}, and an
 * HTTP/1.0 request with a {@code Transfer-Encoding}. Whatever follows such a request on the
 * connection is never read as a request ({@link OneRequestAtATime}).
 */
final class RequestFraming extends ChannelInboundHandlerAdapter {
  private final Json json;

  RequestFraming(Json json) {
    this.json = json;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      String problem = problem(request);
      if (problem != null) {
        ReferenceCountUtil.release(msg);
        ctx.writeAndFlush(ApiHandler.closingError(json, ErrorCode.BAD_REQUEST, problem));
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** What is wrong with the request's framing, or null. */
  static String problem(HttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      Throwable cause = request.decoderResult().cause();
      return "malformed HTTP request" + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    List<String> codings = new ArrayList<>();
    for (String field : request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
      for (String coding : field.split(",")) {
        if (!coding.isBlank()) {
          codings.add(coding.trim());
        }
      }
    }
    if (codings.isEmpty() && !request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return null;
    }
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      return "Transfer-Encoding is not allowed in HTTP/1.0";
    }
    if (codings.size() != 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
      return "Transfer-Encoding must be exactly chunked, got '" + String.join(", ", codings) + "'";
    }
    return null;
  }
}
