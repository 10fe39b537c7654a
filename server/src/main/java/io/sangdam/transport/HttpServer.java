package io.sangdam.transport;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sangdam.api.Api;
import io.sangdam.presence.SessionFactory;
import io.sangdam.protocol.Json;
import io.sangdam.threads.HotThreads;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.sangdam.config.Config;
import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one port: REST API, WebSockets (and, later, the web apps). */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private final SocketTransport transport = SocketTransport.best();
  private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, hot("sangdam-accept"), transport.handlers());
  /** 0: Netty's default, twice the cores. */
  private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, hot("sangdam-io"), transport.handlers());
  private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
  private final ServerInitializer initializer;
  private final boolean tls;
  private final AtomicBoolean closed = new AtomicBoolean();
  private Channel listener;

  /**
   * {@code tls} null: plain HTTP and WS; else HTTPS and WSS on the same port with that certificate.
   * Bound by {@link #start}, it answers 503 until {@link #serve} hands it the API, so probes of
   * {@code /ready} see the server starting rather than a refused connection.
   */
  public HttpServer(Json json, Config.Http http) {
    requireNonNull(http, "http");
    ConnectionLimits limits = new ConnectionLimits(withinOpenFiles(http.connections().max(), openFileLimit()),
        http.connections().maxPerAddress(), http.trustedProxies());
    this.initializer = new ServerInitializer(requireNonNull(json, "json"), http.idleSeconds(), connections,
        http.tls() == null ? null : sslContext(http.tls()), limits, http.connections(), http.trustedProxies());
    this.tls = http.tls() != null;
  }

  /**
   * The global connection limit, lowered to fit the process's open-file limit less a tenth of it
   * (at least 200) for the database, logs and files: past that, accepting fails over and over
   * and nobody is told why, where a limit refuses clearly.
   */
  static int withinOpenFiles(int configured, long openFiles) {
    if (openFiles <= 0) {
      return configured;
    }
    long fitting = Math.max(1, openFiles - Math.max(200, openFiles / 10));
    if (fitting >= configured) {
      return configured;
    }
    log.warn("accepting at most {} connections, not http.maxConnections={}: the process may open only {} files "
        + "(raise LimitNOFILE or ulimit -n)", fitting, configured, openFiles);
    return (int) fitting;
  }

  /**
   * Netty's own thread factory (its threads carry Netty's fast thread-locals), each thread marked
   * hot: an event loop serves many connections and must never wait for the database.
   */
  private static ThreadFactory hot(String prefix) {
    return new DefaultThreadFactory(prefix) {
      @Override
      protected Thread newThread(Runnable work, String name) {
        return super.newThread(HotThreads.marked(work), name);
      }
    };
  }

  /** The process's open-file limit, or 0 where the platform does not say. */
  private static long openFileLimit() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount() : 0;
  }

  /** Ready: connections from now on get the API and the sockets. */
  public void serve(Api api, SessionFactory sessions) {
    initializer.serve(requireNonNull(api, "api"), requireNonNull(sessions, "sessions"));
  }

  private static SslContext sslContext(Config.Tls tls) {
    try {
      return SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile()).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot use the TLS certificate " + tls.certificate() + " with the key "
          + tls.privateKey() + " (the key must be PEM PKCS#8, unencrypted): " + e.getMessage(), e);
    }
  }

  /** Open TCP connections, HTTP and WebSocket alike. */
  public int openConnections() {
    return connections.size();
  }

  /** Binds and returns the port actually bound (useful with port 0). */
  public int start(String host, int port) throws InterruptedException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        // A restart binds the port its predecessor's connections still hold in TIME_WAIT. The JDK's selector sets
        // this by itself on a server socket; the epoll transport does not.
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(initializer);
    ChannelFuture binding = bootstrap.bind(host, port).await();
    if (!binding.isSuccess()) {
      // A port taken (an old instance still stopping) must end the start, not leave a JVM bound to nothing.
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + why(binding.cause()),
          binding.cause());
    }
    listener = binding.channel();
    int bound = ((InetSocketAddress) listener.localAddress()).getPort();
    log.info("listening on {}://{}:{} ({})", tls ? "https" : "http", host, bound, transport.name());
    return bound;
  }

  /**
   * Why a bind failed, in the operating system's words ("Address already in use"): the JDK's exception says only
   * that; the epoll transport's says {@code bind(..) failed with error(-98): } before it.
   */
  private static String why(Throwable bindFailure) {
    String message = String.valueOf(bindFailure.getMessage());
    int words = message.lastIndexOf("): ");
    return bindFailure instanceof Errors.NativeIoException && words >= 0 ? message.substring(words + 3) : message;
  }

  /** Stops accepting, tells every WebSocket client the server is going away (1001), then closes everything. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
    connections.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE),
        ServerInitializer.WEBSOCKETS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
