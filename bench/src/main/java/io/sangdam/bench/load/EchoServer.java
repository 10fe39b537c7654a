package io.sangdam.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.sangdam.transport.SocketTransport;

/**
 * The baseline: a raw Netty WebSocket server that sends every text frame straight back, with the
 * same event-loop transport, codec and frame sizes as Sangdam's, and nothing else. Whatever the
 * load generator measures against it is the ceiling for "one message in, one out" on this machine.
 * Run as its own process by {@link LoadBench}: {@code EchoServer <port>}; prints {@code READY}.
 */
public final class EchoServer {
  private EchoServer() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    SocketTransport transport = SocketTransport.best();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(transport.handlers());
    Channel server = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536),
                new WebSocketServerProtocolHandler("/ws", null, false, 65_536), new Echo());
          }
        })
        .bind(port).sync().channel();
    System.out.println("READY");
    server.closeFuture().sync();
  }

  /** Writes each frame back, flushing once per read burst as a server under load would. */
  private static final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      ctx.write(frame.retain());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }
  }
}
