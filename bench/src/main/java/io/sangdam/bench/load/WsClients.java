package io.sangdam.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The load generator's WebSocket client: many connections on a few event loops, each handing its
 * text frames to a callback. Local addresses rotate over 127.0.0.1 to 127.0.0.{n}, so one client
 * is not held to one address's ephemeral ports.
 */
final class WsClients implements AutoCloseable {
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final int localAddresses;
  private int next;

  WsClients(int threads, int localAddresses) {
    this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    this.localAddresses = localAddresses;
  }

  /** One connection: sends text frames; {@code onText} gets every text frame it receives. */
  static final class Conn {
    final Channel channel;
    /** Free for the scenario: what this connection is (a conversation id, an index). */
    volatile long tag;

    Conn(Channel channel) {
      this.channel = channel;
    }

    void send(String text) {
      channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    }

    void close() {
      channel.close();
    }
  }

  /** Opens a WebSocket to {@code uri}; completes once the handshake is done. */
  CompletableFuture<Conn> connect(URI uri, BiConsumer<Conn, String> onText) {
    CompletableFuture<Conn> opened = new CompletableFuture<>();
    InetSocketAddress local = new InetSocketAddress("127.0.0." + (1 + (next++ % localAddresses)), 0);
    Conn[] holder = new Conn[1];
    bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        holder[0] = new Conn(ch);
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536),
            new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(uri,
                WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 1 << 20)),
            new SimpleChannelInboundHandler<TextWebSocketFrame>() {
              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
                if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                  opened.complete(holder[0]);
                }
                super.userEventTriggered(ctx, event);
              }

              @Override
              protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                onText.accept(holder[0], frame.text());
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                opened.completeExceptionally(new IllegalStateException("closed before the handshake"));
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                opened.completeExceptionally(cause);
                ctx.close();
              }
            });
      }
    }).connect(new InetSocketAddress(uri.getHost(), uri.getPort()), local).addListener(f -> {
      if (!f.isSuccess()) {
        opened.completeExceptionally(f.cause());
      }
    });
    return opened;
  }

  @Override
  public void close() {
    group.shutdownGracefully().syncUninterruptibly();
  }
}
