package io.sangdam.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.netty.handler.ssl.SslHandler;
import io.sangdam.api.Api;
import io.sangdam.api.ApiRequest;
import io.sangdam.api.ApiResponse;
import io.sangdam.channel.InboundSignature;
import io.sangdam.config.TrustedProxies;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every non-WebSocket request to the {@link Api} and writes its answer (JSON, or a file's
 * bytes), or serves a file of the web apps. Holds no state but the apps' files, read once.
 */
@ChannelHandler.Sharable
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String JSON = "application/json; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

  private final Api api;
  private final Json json;
  private final TrustedProxies trustedProxies;
  private final StaticFiles files = new StaticFiles(ApiHandler.class.getClassLoader());

  ApiHandler(Api api, Json json, TrustedProxies trustedProxies) {
    this.api = api;
    this.json = json;
    this.trustedProxies = trustedProxies;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!request.decoderResult().isSuccess()) {
      // A body the decoder could not read (a bad chunk); a bad head never gets here (RequestFraming).
      ctx.writeAndFlush(closingError(json, ErrorCode.BAD_REQUEST, RequestFraming.problem(request)));
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    if (uri.path().equals("/") || StaticFiles.serves(uri.path())) {
      serveFile(ctx, request, uri.path(), keepAlive);
      return;
    }
    if (!api.handles(uri.path())) {
      write(ctx, ApiResponse.error(ErrorCode.NOT_FOUND, "no such resource: " + uri.path()), keepAlive);
      return;
    }
    ApiRequest apiRequest = new ApiRequest(request.method().name(), uri.path(), uri.parameters(),
        request.headers().get(HttpHeaderNames.AUTHORIZATION), request.headers().get(HttpHeaderNames.CONTENT_TYPE),
        ByteBufUtil.getBytes(request.content()), clientAddress(ctx, request),
        request.headers().get(InboundSignature.HEADER), headers(request), cookies(request));
    boolean overTls = overTls(ctx, request);
    api.handle(apiRequest).whenComplete((response, failure) -> {
      try {
        if (failure != null) {
          throw failure;
        } else if (response.status() == HttpResponseStatus.METHOD_NOT_ALLOWED.code()) {
          write(ctx, response, keepAlive, String.join(", ", api.allowedMethods(uri.path())), overTls);
        } else {
          write(ctx, response, keepAlive, null, overTls);
        }
      } catch (Throwable e) {
        answerFailure(ctx, apiRequest, e);
      }
    });
  }

  /** The request's headers by lower-case name, the first value of each. */
  private static Map<String, String> headers(FullHttpRequest request) {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      out.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
    }
    return out;
  }

  /**
   * The request's cookies by name (RFC 6265; a browser sends them in one header, HTTP/2 proxies may split
   * it). A malformed pair is skipped, as browsers do; of two cookies of one name, the first (the one of
   * the longest path) counts.
   */
  private static Map<String, String> cookies(FullHttpRequest request) {
    Map<String, String> out = new HashMap<>();
    for (String header : request.headers().getAll(HttpHeaderNames.COOKIE)) {
      for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(header)) {
        out.putIfAbsent(cookie.name(), cookie.value());
      }
    }
    return out;
  }

  /**
   * Whether the browser reached this server over TLS: on this connection, or through a trusted reverse
   * proxy ({@code http.trustedProxies}) that says so in {@code X-Forwarded-Proto}. Its cookies are then Secure.
   */
  private boolean overTls(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (ctx.pipeline().get(SslHandler.class) != null) {
      return true;
    }
    return ctx.channel().remoteAddress() instanceof InetSocketAddress inet && trustedProxies.trusts(inet.getAddress())
        && "https".equalsIgnoreCase(request.headers().get("X-Forwarded-Proto"));
  }

  /**
   * The API turns every failure into an answer; one that still escapes it, or the writing of its
   * answer, is logged and answered 500 {@code internal}, and the connection ends: the client must
   * never wait for an answer that will not come ({@link OneRequestAtATime} counts it as busy).
   */
  private void answerFailure(ChannelHandlerContext ctx, ApiRequest request, Throwable failure) {
    log.error("{} {} failed without an answer", request.method(), request.path(), failure);
    ctx.writeAndFlush(closingError(json, ErrorCode.INTERNAL, "internal error"));
  }

  /**
   * A file of the web apps: revalidated on every use by its ETag (a new version reaches browsers at
   * once, an unchanged one costs a 304), under a Content-Security-Policy that allows this origin's
   * own scripts and nothing inline. Only the widget may be framed by other sites' pages.
   */
  private void serveFile(ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive) {
    if (!request.method().name().equals("GET") && !request.method().name().equals("HEAD")) {
      write(ctx, ApiResponse.error(ErrorCode.METHOD_NOT_ALLOWED, request.method() + " is not allowed here; use [GET, HEAD]"),
          keepAlive, "GET, HEAD", false);
      return;
    }
    String last = path.substring(path.lastIndexOf('/') + 1);
    if (path.equals("/") || (!path.endsWith("/") && !last.contains("."))) {
      FullHttpResponse redirect = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.MOVED_PERMANENTLY);
      // The port's root is the admin console; a folder without its slash gets it.
      redirect.headers().set(HttpHeaderNames.LOCATION, path.equals("/") ? "/admin/" : path + "/")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      send(ctx, redirect, keepAlive);
      return;
    }
    Optional<StaticFiles.File> file = files.find(path);
    if (file.isEmpty()) {
      write(ctx, ApiResponse.error(ErrorCode.NOT_FOUND, "no such file: " + path), keepAlive);
      return;
    }
    StaticFiles.File f = file.get();
    boolean unchanged = f.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
    FullHttpResponse response = unchanged
        ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED)
        : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            request.method().name().equals("HEAD") ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(f.content()));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, f.contentType())
        .set(HttpHeaderNames.ETAG, f.etag())
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "same-origin")
        .set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "
            + (path.startsWith("/widget/") ? "*" : "'none'"))
        // A HEAD announces the length a GET would send; a 304 sends nothing.
        .setInt(HttpHeaderNames.CONTENT_LENGTH, unchanged ? 0 : f.content().length);
    send(ctx, response, keepAlive);
  }

  /** Writes an answer; one that says {@code Connection: close} ends the connection ({@link OneRequestAtATime}). */
  private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response);
  }

  /** PROTOCOL.md's error as a whole response that ends the connection: for requests that cannot be read on from. */
  static FullHttpResponse closingError(Json json, ErrorCode code, String message) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(code.httpStatus()), Unpooled.wrappedBuffer(json.write(ApiResponse.error(code, message)
        .body())));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, JSON)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff")
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }

  private void write(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
    write(ctx, answer, keepAlive, null, false);
  }

  /**
   * {@code allow}: the methods the path answers to, for a 405 (RFC 9110 section 15.5.6); else null.
   * {@code overTls}: the request came over TLS, so the answer's cookies are Secure.
   */
  private void write(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive, String allow,
      boolean overTls) {
    HttpResponseStatus status = HttpResponseStatus.valueOf(answer.status());
    FullHttpResponse response;
    if (answer.body() instanceof ApiResponse.FileBody file) {
      response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(file.content()));
      response.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, file.contentType())
          .set(HttpHeaderNames.CONTENT_DISPOSITION, disposition(file))
          // Never run as a page of this origin, whatever a browser makes of it.
          .set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
          // Files carry personal data and exports go stale: never kept by a browser or a proxy.
          .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    } else {
      response = answer.body() == null
          ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status)
          : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json.write(answer.body())));
      if (answer.body() != null) {
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
      }
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    }
    answer.headers().forEach(response.headers()::set);
    for (ApiResponse.Cookie cookie : answer.cookies()) {
      response.headers().add(HttpHeaderNames.SET_COOKIE, setCookie(cookie, overTls));
    }
    response.headers()
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set("X-Content-Type-Options", "nosniff");
    if (allow != null) {
      response.headers().set(HttpHeaderNames.ALLOW, allow);
    }
    if (answer.status() == 503 && !response.headers().contains(HttpHeaderNames.RETRY_AFTER)) {
      // Busy or the database down: worth trying again shortly, not at once.
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
    }
    send(ctx, response, keepAlive);
  }

  /** One {@code Set-Cookie} value: every cookie of the API is for this server alone, never for page scripts. */
  static String setCookie(ApiResponse.Cookie cookie, boolean overTls) {
    DefaultCookie out = new DefaultCookie(cookie.name(), cookie.value());
    out.setPath(cookie.path());
    out.setMaxAge(cookie.maxAge().toSeconds());
    out.setHttpOnly(true);
    out.setSecure(overTls);
    out.setSameSite(CookieHeaderNames.SameSite.Lax);
    return ServerCookieEncoder.STRICT.encode(out);
  }

  /** RFC 6266: an ASCII fallback name, and the real (Korean) one in UTF-8 for every current browser. */
  static String disposition(ApiResponse.FileBody file) {
    String fallback = file.fileName().replaceAll("[^A-Za-z0-9._ -]", "_");
    String encoded = URLEncoder.encode(file.fileName(), StandardCharsets.UTF_8).replace("+", "%20");
    return (file.inline() ? "inline" : "attachment") + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
  }

  /** The TCP peer, or behind a trusted reverse proxy the address it says it serves ({@code http.trustedProxies}). */
  private String clientAddress(ChannelHandlerContext ctx, FullHttpRequest request) {
    SocketAddress peer = ctx.channel().remoteAddress();
    return peer instanceof InetSocketAddress inet
        ? trustedProxies.clientAddress(inet.getAddress(), request.headers().getAll("X-Forwarded-For"))
        : String.valueOf(peer);
  }
}
