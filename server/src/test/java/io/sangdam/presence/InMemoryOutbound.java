package io.sangdam.presence;

import io.sangdam.protocol.ServerMessage;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where a session under test writes: kept in memory, always with room. A close fails the test,
 * unless the outbound is {@link #closable()}: then it is kept, as "code reason".
 */
final class InMemoryOutbound implements Outbound {
  final List<ServerMessage> messages = new CopyOnWriteArrayList<>();
  private final boolean closable;
  volatile String closedWith;

  InMemoryOutbound() {
    this(false);
  }

  private InMemoryOutbound(boolean closable) {
    this.closable = closable;
  }

  /** One whose closes the test expects and reads from {@link #closedWith}. */
  static InMemoryOutbound closable() {
    return new InMemoryOutbound(true);
  }

  @Override
  public void send(ServerMessage message) {
    messages.add(message);
  }

  @Override
  public void close(int code, String reason) {
    if (!closable) {
      throw new AssertionError("not closed in this test: " + code + " " + reason);
    }
    closedWith = code + " " + reason;
  }

  @Override
  public void closeWhenAnswered(CompletionStage<?> answered, int code, String reason) {
    throw new AssertionError("not closed in this test: " + code + " " + reason);
  }

  @Override
  public boolean hasRoom() {
    return true;
  }

  @Override
  public void whenRoom(Runnable next) {
    next.run();
  }

  @Override
  public String remoteAddress() {
    return "203.0.113.7";
  }
}
