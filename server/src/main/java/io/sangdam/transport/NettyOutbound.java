package io.sangdam.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.sangdam.presence.Outbound;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.ServerMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session's way out: each message one JSON text frame. Safe from any thread.
 *
 * <p>Messages sent from other threads (acks and pushes come from the event and delivery threads)
 * wait in {@link #outgoing} for one task on the event loop that writes all of them and flushes
 * once: under load a connection's frames then cost one wake-up of its loop and one write to the
 * socket per burst instead of each. That task is the loop's, shared by its connections ({@link LoopDrains}).
 *
 * <p>What the client has not taken yet is bounded twice. Netty's buffer gets messages only while
 * it is under its {@link #WATER_MARK high water mark}; the rest wait here, in order. And the whole
 * backlog (held here, in Netty's buffer, or on its way to the event loop) may not stay over the
 * session's budget: a message sent while it is over closes the connection with
 * {@link #CLOSE_TOO_SLOW} and drops what is held, so a client that stops reading costs at most
 * its budget, then a water mark's worth until its connection ends. A message that would take it
 * over the budget is not accepted either, however large: one frame does not bypass the budget.
 *
 * <p>Netty also writes without us: the pong answering each ping. Those bytes count against the
 * same budget, and since a client that only pings makes no {@link #send}, the budget is also
 * checked for each frame the client sends while its socket takes nothing ({@link #checkBudget}).
 */
final class NettyOutbound implements Outbound {
  /** Application close code (RFC 6455 leaves 4000-4999 to applications): the client did not keep up with its output. */
  static final int CLOSE_TOO_SLOW = 4008;
  /** Netty's own buffer per connection, and {@link #hasRoom()}: a replay pauses above the high mark and goes on below the low one. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
  /** How long our close frame may wait behind output the client does not take, before the connection is cut. */
  static final long CLOSE_DRAIN_MILLIS = 30_000;
  /** How long a close waits for the answers to what the client sent before it. */
  static final long ANSWERS_MILLIS = 5_000;

  private final Channel channel;
  private final Json json;
  private final long budget;
  /** Run on the event loop when a close begins: the session ends there, not when the connection is gone. */
  private final Runnable closing;
  /** Bytes accepted by {@link #send} and not yet written to the socket. */
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicBoolean closeAsked = new AtomicBoolean();
  /** Messages accepted by {@link #send}, in order, for the event loop's next {@link #drain}. */
  private final Queue<byte[]> outgoing = new ConcurrentLinkedQueue<>();
  /** Whether a {@link #drain} is on its way to the event loop: the sends meanwhile join it instead of waking it again. */
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  /** Event loop only: messages waiting for Netty's buffer to go under its water mark. */
  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  /** Event loop only: who waits for {@link #hasRoom()}. */
  private final List<Runnable> waitingForRoom = new ArrayList<>();
  /** Event loop only: the close is under way; what is offered from now on is dropped. */
  private boolean closeQueued;
  /** Event loop only: sends the close frame once what is held has gone. */
  private Runnable closeAfterHeld;
  /** Bytes of our frames in Netty's buffer: written by the event loop only, read anywhere. */
  private volatile long inNetty;
  private final String remoteAddress;
  /** The task of the channel's event loop that drains the connections sent to from other threads. */
  private final LoopDrains.Drain loopDrain;

  /**
   * {@code remoteAddress}: the client's, as the server sees it (behind a trusted proxy, the one it serves);
   * {@code drains}: the server's, which hold the task of each of its loops.
   */
  NettyOutbound(Channel channel, Json json, long budget, Runnable closing, String remoteAddress, LoopDrains drains) {
    this.channel = channel;
    this.loopDrain = drains.of(channel.eventLoop());
    this.remoteAddress = remoteAddress;
    this.json = json;
    this.budget = budget;
    this.closing = closing;
    channel.config().setWriteBufferWaterMark(WATER_MARK);
  }

  @Override
  public void send(ServerMessage message) {
    if (closeAsked.get() || !channel.isActive()) {
      return;
    }
    byte[] bytes = json.write(message);
    if (waiting() + bytes.length > budget) {
      tooSlow();
      return;
    }
    backlog.addAndGet(bytes.length);
    outgoing.add(bytes);
    if (drainQueued.compareAndSet(false, true)) {
      if (channel.eventLoop().inEventLoop()) {
        drain();
      } else {
        loopDrain.add(this);
      }
    }
  }

  /**
   * On the event loop (run by {@link LoopDrains}): everything sent so far to Netty (or held), then one flush. The flag drops
   * before the queue is read, so a message added after the last read always queues a drain of its own.
   */
  void drain() {
    drainQueued.set(false);
    boolean wrote = false;
    byte[] bytes;
    while ((bytes = outgoing.poll()) != null) {
      wrote |= offer(bytes);
    }
    if (wrote) {
      channel.flush();
    }
  }

  /** All that waits for the client: ours ({@link #backlog}) and what Netty wrote by itself (pongs). */
  private long waiting() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    long netty = buffer == null ? 0 : buffer.totalPendingWriteBytes();
    return backlog.get() + Math.max(0, netty - inNetty);
  }

  private void tooSlow() {
    close(CLOSE_TOO_SLOW, "too slow: over " + budget + " bytes waiting to be sent", true);
  }

  /**
   * For a frame from the client while its socket takes nothing: Netty answers a ping with a pong
   * by itself, so a client that pings and never reads is closed here, at most one pong over the budget.
   */
  void checkBudget() {
    if (!closeAsked.get() && waiting() > budget) {
      tooSlow();
    }
  }

  private void onLoop(Runnable task) {
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // The server is stopping and its connections with it: nothing is left to write to.
    }
  }

  /** To Netty (unflushed: true) while its buffer is under the water mark and nothing is held before it; else held. */
  private boolean offer(byte[] bytes) {
    // Not closeAsked.get(): what was sent before the close was asked for goes out before its frame.
    if (closeQueued || !channel.isActive()) {
      backlog.addAndGet(-bytes.length);
    } else if (held.isEmpty() && channel.isWritable()) {
      write(bytes);
      return true;
    } else {
      held.add(bytes);
    }
    return false;
  }

  /** Into Netty's buffer; the caller flushes. */
  private void write(byte[] bytes) {
    inNetty += bytes.length;
    // The listener runs on the event loop when the bytes are in the socket, or failed with the connection.
    channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)))
        .addListener(f -> written(bytes.length));
  }

  private void written(int bytes) {
    inNetty -= bytes;
    if (backlog.addAndGet(-bytes) < WATER_MARK.low() && !waitingForRoom.isEmpty()) {
      List<Runnable> ready = List.copyOf(waitingForRoom);
      waitingForRoom.clear();
      ready.forEach(Runnable::run);
    }
  }

  /** On the event loop, when Netty's buffer went under its low water mark: hand it what is held. */
  void writable() {
    boolean wrote = false;
    while (!held.isEmpty() && channel.isWritable()) {
      write(held.poll());
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
    if (held.isEmpty() && closeAfterHeld != null) {
      closeAfterHeld.run();
      closeAfterHeld = null;
    }
  }

  @Override
  public boolean hasRoom() {
    return backlog.get() < WATER_MARK.high();
  }

  @Override
  public void whenRoom(Runnable next) {
    onLoop(() -> {
      if (closeAsked.get() || !channel.isActive()) {
        return;
      }
      if (hasRoom()) {
        next.run();
      } else {
        waitingForRoom.add(next);
      }
    });
  }

  /** Whether the connection is being closed: nothing more is sent, nor read from it. */
  boolean isClosing() {
    return closeAsked.get();
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  /**
   * Sends the close frame after what was sent before, once. The client gets
   * {@link ServerInitializer#CLOSE_HANDSHAKE_MILLIS} from when the frame is in the socket to
   * answer it: cutting at once would reset the connection while the client still sends, and it
   * would lose the close code. A client that does not take the frame within
   * {@link #CLOSE_DRAIN_MILLIS} is cut off all the same.
   */
  @Override
  public void close(int code, String reason) {
    close(code, reason, false);
  }

  /** {@code dropHeld}: what waits here is not sent (the client is too slow for it), only what Netty has. */
  private void close(int code, String reason, boolean dropHeld) {
    if (!closeAsked.compareAndSet(false, true)) {
      return;
    }
    onLoop(() -> {
      if (!dropHeld) {
        drain(); // what was sent before the close, whose drain may be queued behind this task
      }
      closeQueued = true;
      waitingForRoom.clear();
      closing.run();
      if (dropHeld) {
        for (byte[] bytes : held) {
          backlog.addAndGet(-bytes.length);
        }
        held.clear();
      }
      if (!channel.isActive()) {
        return;
      }
      untilClosed(channel.eventLoop().schedule(() -> channel.close(), CLOSE_DRAIN_MILLIS, TimeUnit.MILLISECONDS));
      if (held.isEmpty()) {
        sendClose(new CloseWebSocketFrame(code, reason));
      } else {
        closeAfterHeld = () -> sendClose(new CloseWebSocketFrame(code, reason));
      }
    });
  }

  private void sendClose(CloseWebSocketFrame frame) {
    channel.writeAndFlush(frame).addListener(sent -> channel.eventLoop()
        .schedule(() -> channel.close(), ServerInitializer.CLOSE_HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS));
  }

  @Override
  public void closeWhenAnswered(CompletionStage<?> answered, int code, String reason) {
    answered.whenComplete((x, e) -> close(code, reason));
    untilClosed(channel.eventLoop().schedule(() -> close(code, reason), ANSWERS_MILLIS, TimeUnit.MILLISECONDS));
  }

  /** A deadline is dropped with the connection, so a closed one is not kept until it would have passed. */
  private void untilClosed(Future<?> deadline) {
    channel.closeFuture().addListener(closed -> deadline.cancel(false));
  }
}
