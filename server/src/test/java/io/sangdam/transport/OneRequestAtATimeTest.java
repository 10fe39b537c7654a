package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The turn-taking of pipelined requests, on an {@code EmbeddedChannel}: no network, time advanced by hand. */
class OneRequestAtATimeTest {
  /** What reached the handlers behind the gate: request paths, and idle events as "idle". */
  private final List<String> seen = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel(new OneRequestAtATime(), new ChannelInboundHandlerAdapter() {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        seen.add(request.uri());
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent) {
        seen.add("idle");
      }
    }
  });

  @Test
  void theNextRequestIsHandedOnOnlyOnceTheAnswerToThePreviousIsWritten() {
    channel.writeInbound(request("/api/login"), LastHttpContent.EMPTY_LAST_CONTENT, request("/health"),
        LastHttpContent.EMPTY_LAST_CONTENT, request("/ready"), LastHttpContent.EMPTY_LAST_CONTENT);
    assertEquals(List.of("/api/login"), seen);
    channel.writeOutbound(answer(HttpResponseStatus.CONTINUE, true));
    channel.runPendingTasks();
    assertEquals(List.of("/api/login"), seen, "an informational answer is not the answer");
    channel.writeOutbound(answer(HttpResponseStatus.UNAUTHORIZED, true));
    channel.runPendingTasks();
    assertEquals(List.of("/api/login", "/health"), seen);
    channel.writeOutbound(answer(HttpResponseStatus.OK, true));
    channel.runPendingTasks();
    assertEquals(List.of("/api/login", "/health", "/ready"), seen);
    releaseOutbound();
    assertFalse(channel.finish());
  }

  @Test
  void aClientWaitingForItsAnswerIsNotIdle() {
    channel.writeInbound(request("/api/export"), LastHttpContent.EMPTY_LAST_CONTENT);
    channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    assertEquals(List.of("/api/export"), seen);
    channel.writeOutbound(answer(HttpResponseStatus.OK, true));
    channel.runPendingTasks();
    channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    assertEquals(List.of("/api/export", "idle"), seen);
    releaseOutbound();
    channel.finish();
  }

  @Test
  void aRequestNeverAnsweredEndsTheConnectionAfterTheLongestAnswerTime() {
    channel.freezeTime(); // only the advances below move it: a slow test machine must not reach the deadline first
    channel.writeInbound(request("/api/export"), LastHttpContent.EMPTY_LAST_CONTENT);
    channel.advanceTimeBy(OneRequestAtATime.MAX_ANSWER_MILLIS - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertTrue(channel.isOpen(), "a slow answer is waited for");
    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertFalse(channel.isOpen(), "an answer lost to a fault must not hold the connection forever");
  }

  @Test
  void anAnsweredRequestLeavesNoDeadlineBehind() {
    channel.writeInbound(request("/api/export"), LastHttpContent.EMPTY_LAST_CONTENT);
    channel.writeOutbound(answer(HttpResponseStatus.OK, true));
    channel.runPendingTasks();
    channel.advanceTimeBy(OneRequestAtATime.MAX_ANSWER_MILLIS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertTrue(channel.isOpen());
    releaseOutbound();
    channel.finish();
  }

  /** A client that does not read its answers: its next request waits, and nothing more is read, until it does. */
  @Test
  void nothingMoreIsHandedOnOrReadWhileTheAnswersWaitToBeSent() {
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
    channel.writeInbound(request("/a"), LastHttpContent.EMPTY_LAST_CONTENT, request("/b"),
        LastHttpContent.EMPTY_LAST_CONTENT);
    channel.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.wrappedBuffer(new byte[16])));
    assertFalse(channel.isWritable());
    channel.runPendingTasks();
    assertEquals(List.of("/a"), seen, "the next request waits while the first answer is unsent");
    channel.flush();
    channel.runPendingTasks();
    assertEquals(List.of("/a", "/b"), seen, "and goes on once it is sent");
    releaseOutbound();
    channel.finish();
  }

  @Test
  void anAnswerThatClosesDropsWhatFollowsAndEndsTheConnectionAfterTheGrace() {
    channel.writeInbound(request("/api/login"), LastHttpContent.EMPTY_LAST_CONTENT, request("/health"),
        LastHttpContent.EMPTY_LAST_CONTENT);
    channel.writeOutbound(answer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, false));
    channel.writeInbound(request("/ready"), LastHttpContent.EMPTY_LAST_CONTENT);
    channel.runPendingTasks();
    assertEquals(List.of("/api/login"), seen, "nothing after it is read as a request");
    assertTrue(channel.isOpen(), "the client may still be sending: not cut at once");
    channel.advanceTimeBy(ServerInitializer.CLOSE_HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertFalse(channel.isOpen());
    releaseOutbound();
    assertNull(channel.readInbound());
  }

  private static HttpRequest request(String path) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
  }

  private static FullHttpResponse answer(HttpResponseStatus status, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
    response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    return response;
  }

  private void releaseOutbound() {
    for (Object written = channel.readOutbound(); written != null; written = channel.readOutbound()) {
      ReferenceCountUtil.release(written);
    }
  }
}
