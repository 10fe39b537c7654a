package io.sangdam.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatcher;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.sangdam.api.Api;
import io.sangdam.config.Config;
import io.sangdam.config.TrustedProxies;
import io.sangdam.presence.SessionFactory;
import io.sangdam.protocol.Json;

/**
 * The only place the pipeline is assembled. A connection over a limit ({@link ConnectionLimits})
 * gets only {@link ConnectionRefusal}: 503 at once, then closed. Any other, in order:
 * <ol>
 *   <li>{@code SslHandler}, only with {@code http.tls.*}: HTTPS and WSS on the same port</li>
 *   <li>{@code IdleStateHandler}: reports a connection that has sent nothing for {@code http.idleSeconds}</li>
 *   <li>{@link HttpFraming}'s decoder and encoder: bytes to HTTP messages and back, refusing two lengths</li>
 *   <li>{@link RequestDeadline}: closes a connection whose request head is not in within {@code http.requestHeadSeconds},
 *       or whose body is slower than that allowance plus a second a KiB</li>
 *   <li>While the server starts (the port is bound first): {@link StartingHandler}, 503 to everything</li>
 *   <li>{@link OneRequestAtATime}: pipelined requests answered in order; an answer that says
 *       {@code Connection: close} ends the connection in stages</li>
 *   <li>{@link RequestFraming}: 400 and the end of the connection for a request whose end is unclear</li>
 *   <li>{@link JsonHttpObjectAggregator}: whole requests, 413 in JSON past the path's limit
 *       ({@code http.maxRequestBytes}, or {@code attachments.maxBytes} for uploads), 401 for an
 *       upload with no token, 503 past {@code http.maxBodyBytesInFlight} in all</li>
 *   <li>{@link FloodGate}: counts every WebSocket frame against the session's flood limit, pings and fragments too</li>
 *   <li>{@code WebSocketServerProtocolHandler}: upgrades {@code /ws/*}, answers pings, closes with 1009 past 64 KiB;
 *       pongs pass on, as proof of life for the idle check</li>
 *   <li>{@code WebSocketFrameAggregator}: joins fragmented frames, same 64 KiB limit</li>
 *   <li>{@link HelloDeadline}: closes with 4408 a WebSocket not let in within {@code http.helloSeconds}</li>
 *   <li>{@link WebSocketSessionHandler}: frames to the customer or agent session; pings or closes idle connections</li>
 *   <li>{@link ApiHandler}: every other request to the REST API</li>
 *   <li>{@link ErrorHandler}: logs what nothing else handled and closes the connection</li>
 * </ol>
 */
final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  /** PROTOCOL.md: a frame over 64 KiB closes the connection with 1009. */
  static final int MAX_FRAME_BYTES = 64 * 1024;
  /** How long a client has to answer our close frame before the connection is cut. */
  static final long CLOSE_HANDSHAKE_MILLIS = 2_000;
  static final AttributeKey<Boolean> WEBSOCKET = AttributeKey.valueOf("sangdam.websocket");
  static final ChannelMatcher WEBSOCKETS = ch -> Boolean.TRUE.equals(ch.attr(WEBSOCKET).get());

  /** What a connection is served with once the server is ready; null while it starts. */
  private record Services(ApiHandler api, Api routes, SessionFactory sessions) {}

  private volatile Services services;
  private final Json json;
  private final int idleSeconds;
  private final ChannelGroup connections;
  private final SslContext ssl;
  private final ConnectionLimits limits;
  private final Config.Connections deadlines;
  private final TrustedProxies trustedProxies;
  private final ConnectionRefusal serverFull;
  private final ConnectionRefusal addressFull;
  private final BodyBudget bodyBudget;
  /** The drain task of each event loop, shared by the loop's WebSockets. */
  private final LoopDrains drains = new LoopDrains();

  ServerInitializer(Json json, int idleSeconds, ChannelGroup connections, SslContext ssl, ConnectionLimits limits,
      Config.Connections deadlines, TrustedProxies trustedProxies) {
    this.ssl = ssl;
    this.trustedProxies = trustedProxies;
    this.json = json;
    this.idleSeconds = idleSeconds;
    this.connections = connections;
    this.limits = limits;
    this.deadlines = deadlines;
    this.bodyBudget = new BodyBudget(deadlines.maxBodyBytesInFlight());
    this.serverFull = ssl != null ? ConnectionRefusal.silent()
        : ConnectionRefusal.answering(json, "the server has too many connections; try again shortly");
    this.addressFull = ssl != null ? ConnectionRefusal.silent()
        : ConnectionRefusal.answering(json, "too many connections from your address; try again shortly");
  }

  /** From now on, new connections get the API and the sockets. */
  void serve(Api api, SessionFactory sessions) {
    services = new Services(new ApiHandler(api, json, trustedProxies), api, sessions);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    switch (limits.admit(ch)) {
      case SERVER_FULL -> {
        p.addLast("refusal", serverFull);
        return;
      }
      case ADDRESS_FULL -> {
        p.addLast("refusal", addressFull);
        return;
      }
      case ADMITTED -> connections.add(ch);
    }
    Services s = services;
    WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
        .websocketPath("/ws")
        .checkStartsWith(true)
        .maxFramePayloadLength(MAX_FRAME_BYTES)
        .allowExtensions(false)
        .dropPongFrames(false)
        // A close we send waits for the client's close (then the connection ends), at most this long.
        .forceCloseTimeoutMillis(CLOSE_HANDSHAKE_MILLIS)
        .build();
    if (ssl != null) {
      p.addLast("tls", ssl.newHandler(ch.alloc()));
    }
    p.addLast("idle", new IdleStateHandler(idleSeconds, 0, 0));
    HttpFraming http = new HttpFraming();
    p.addLast("httpDecoder", http.decoder);
    p.addLast("httpEncoder", http.encoder);
    p.addLast("requestDeadline", new RequestDeadline(deadlines.requestHead()));
    if (s == null) {
      p.addLast("starting", new StartingHandler(json));
      p.addLast("errors", ErrorHandler.INSTANCE);
      return;
    }
    p.addLast("oneAtATime", new OneRequestAtATime());
    p.addLast("framing", new RequestFraming(json));
    p.addLast("aggregator", new JsonHttpObjectAggregator(s.routes(), json, bodyBudget));
    p.addLast("flood", new FloodGate());
    p.addLast("websocket", new WebSocketServerProtocolHandler(ws));
    p.addLast("frames", new WebSocketFrameAggregator(MAX_FRAME_BYTES));
    p.addLast("hello", new HelloDeadline(deadlines.hello()));
    p.addLast("session", new WebSocketSessionHandler(s.sessions(), json, trustedProxies, drains));
    p.addLast("api", s.api());
    p.addLast("errors", ErrorHandler.INSTANCE);
  }

  static void markWebSocket(Channel ch) {
    ch.attr(WEBSOCKET).set(Boolean.TRUE);
  }
}
