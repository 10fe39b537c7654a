package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code rate}: a score, and a comment unless blank; answered {@code rated}. */
class RateConversationTest {
  private final Desk desk = new Desk();
  private final InMemoryOutbound out = new InMemoryOutbound();
  private final CustomerSession hong = desk.customer(7, out);
  private final List<String> chat = new ArrayList<>();

  @Test
  void rateTakesAScoreAndABlankCommentIsNone() {
    RateConversation handler = new RateConversation((customer, conversation, score, comment) -> {
      chat.add(customer + " " + conversation + " " + score + " " + comment);
      return CompletableFuture.completedFuture(null);
    });
    Fields f = desk.frame("{\"type\":\"rate\",\"rid\":2,\"conversation\":5,\"score\":4,\"comment\":\" \"}");
    handler.handle(hong, f, desk.rid(f));

    assertEquals(List.of("7 5 4 " + Optional.empty()), chat);
    assertEquals("rated", desk.only(out).path("type").asText());
  }
}
