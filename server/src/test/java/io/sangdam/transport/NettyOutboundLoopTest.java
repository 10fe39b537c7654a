package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sends from another thread to many connections of one event loop, on a real loop (Netty's in-process transport):
 * while the loop is busy they wait in one task of the loop, not one each, and every connection gets its frames, in
 * order.
 */
class NettyOutboundLoopTest {
  private static final int CONNECTIONS = 50;

  private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void sendsToTheConnectionsOfABusyLoopWaitInOneTaskAndAllArriveInOrder() throws Exception {
    LocalAddress address = new LocalAddress("outbound-loop-test");
    BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
    new ServerBootstrap().group(group).channel(LocalServerChannel.class).childHandler(new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        accepted.add(ch);
      }
    }).bind(address).sync();
    List<BlockingQueue<String>> received = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      BlockingQueue<String> frames = new LinkedBlockingQueue<>();
      received.add(frames);
      new Bootstrap().group(group).channel(LocalChannel.class).handler(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          frames.add(((TextWebSocketFrame) msg).text());
          ReferenceCountUtil.release(msg);
        }
      }).connect(address).sync();
    }
    LoopDrains drains = new LoopDrains();
    List<NettyOutbound> outs = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      outs.add(new NettyOutbound(accepted.poll(5, TimeUnit.SECONDS), new Json(), 1 << 20, () -> { }, "192.0.2.1",
          drains));
    }
    EventLoop loop = group.next();
    loop.submit(() -> { }).sync(); // what the connections set going has run

    CountDownLatch busy = new CountDownLatch(1);
    loop.execute(() -> {
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      for (int n = 0; n < 3; n++) {
        for (int i = 0; i < CONNECTIONS; i++) {
          outs.get(i).send(new ServerMessage.Error(null, ErrorCode.BAD_REQUEST, i + "." + n));
        }
      }
      assertEquals(1, ((SingleThreadEventExecutor) loop).pendingTasks(), "one task for all the connections");
    } finally {
      busy.countDown();
    }

    for (int i = 0; i < CONNECTIONS; i++) {
      for (int n = 0; n < 3; n++) {
        String frame = received.get(i).poll(5, TimeUnit.SECONDS);
        assertTrue(frame != null && frame.contains("\"" + i + "." + n + "\""), "connection " + i + ": " + frame);
      }
    }
  }
}
