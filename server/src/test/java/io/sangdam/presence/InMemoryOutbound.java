package io.sangdam.presence;

import io.sangdam.protocol.ServerMessage;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Where a session under test writes: kept in memory, always with room; a close fails the test. */
final class InMemoryOutbound implements Outbound {
  final List<ServerMessage> messages = new CopyOnWriteArrayList<>();

  @Override
  public void send(ServerMessage message) {
    messages.add(message);
  }

  @Override
  public void close(int code, String reason) {
    throw new AssertionError("not closed in this test: " + code + " " + reason);
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
