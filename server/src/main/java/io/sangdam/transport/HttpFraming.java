package io.sangdam.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * Netty's HTTP/1.1 codec, as {@code HttpServerCodec} pairs it, but strict where message framing
 * can be read two ways (RFC 9112 section 6.1): a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is a decoding failure, where Netty would drop the length and go on.
 * Decoder and encoder are two handlers, so that the WebSocket upgrade finds and replaces them.
 */
final class HttpFraming {
  /** The methods of the requests not yet answered, oldest first: the answer to a HEAD has no body. */
  private final Queue<HttpMethod> unanswered = new ArrayDeque<>();
  final Decoder decoder = new Decoder();
  final Encoder encoder = new Encoder();

  final class Decoder extends HttpRequestDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
      int before = out.size();
      super.decode(ctx, buffer, out);
      for (int i = before; i < out.size(); i++) {
        if (out.get(i) instanceof HttpRequest request) {
          unanswered.add(request.method());
        }
      }
    }

    /** Either length could be the one a proxy in front used: smuggled requests hide in the difference. */
    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      throw new IllegalArgumentException("Content-Length and Transfer-Encoding together");
    }
  }

  final class Encoder extends HttpResponseEncoder {
    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse response) {
      HttpMethod method = response.status().codeClass() == HttpStatusClass.INFORMATIONAL ? null : unanswered.poll();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(response);
    }
  }
}
