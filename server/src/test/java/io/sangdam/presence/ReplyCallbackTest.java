package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sangdam.chat.Participant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A failure while answering a request is logged with who was connected, and the client gets {@code internal}. */
class ReplyCallbackTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(ClientSession.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  /** The failure is logged here only: checked by the test, and kept out of a passing run's output. */
  @BeforeEach
  void listen() {
    logged.start();
    logger.addAppender(logged);
    logger.setAdditive(false);
  }

  @AfterEach
  void stopListening() {
    logger.setAdditive(true);
    logger.detachAppender(logged);
  }

  /** A session whose one request is answered by a callback that fails. */
  private static final class FailingAnswer extends ClientSession {
    FailingAnswer(InMemoryOutbound out) {
      super(42, out, new Json(), new RateLimiter(100, 100, System::nanoTime), null);
    }

    @Override
    CompletableFuture<?> hello(Fields frame) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    void handle(String type, Fields frame) {
      if (type.equals("refused")) {
        // As a full worker queue, or one refusing work while the database is down, does.
        Executor refusing = work -> {
          throw new RejectedExecutionException("the database does not answer");
        };
        reply(frame.node().get("rid"), CompletableFuture.supplyAsync(() -> "answer", refusing), answer -> {});
        return;
      }
      reply(frame.node().get("rid"), CompletableFuture.completedFuture("answer"), answer -> {
        throw new IllegalStateException("the answer could not be rendered");
      });
    }

    @Override
    void ended() {
    }

    @Override
    String who() {
      return "tenant acme, user kim";
    }

    @Override
    boolean isStaff() {
      return true;
    }

    @Override
    Participant participant() {
      return Participant.agent(7);
    }
  }

  @Test
  void aFailingAnswerIsLoggedWithTheConnectionAndAnsweredAsInternal() {
    InMemoryOutbound out = new InMemoryOutbound();
    ClientSession session = new FailingAnswer(out);
    session.onText("{\"type\":\"hello\"}");
    session.onText("{\"type\":\"ask\",\"rid\":\"q1\"}");

    assertEquals(1, out.messages.size(), out.messages.toString());
    ServerMessage.Error error = (ServerMessage.Error) out.messages.get(0);
    assertEquals("internal", error.code());
    assertEquals("q1", error.rid().asText());
    ILoggingEvent event = logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).findFirst()
        .orElseThrow(() -> new AssertionError("nothing was logged"));
    String line = event.getFormattedMessage();
    assertTrue(line.contains("session 42") && line.contains("203.0.113.7") && line.contains("tenant acme, user kim"),
        line);
    assertEquals("the answer could not be rendered", event.getThrowableProxy().getMessage());
  }

  @Test
  void workRefusedAsItIsHandedOverIsAnsweredUnavailableNotInternal() {
    InMemoryOutbound out = new InMemoryOutbound();
    ClientSession session = new FailingAnswer(out);
    session.onText("{\"type\":\"hello\"}");
    session.onText("{\"type\":\"refused\",\"rid\":7}");

    assertEquals(1, out.messages.size(), out.messages.toString());
    ServerMessage.Error error = (ServerMessage.Error) out.messages.get(0);
    assertEquals("unavailable", error.code(), "nothing was done: the client may try again");
    assertEquals(7, error.rid().asInt());
    assertTrue(logged.list.stream().noneMatch(e -> e.getLevel() == Level.ERROR), "not a failure of the server");
  }
}
