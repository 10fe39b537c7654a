package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.directory.Category;
import io.sangdam.directory.Center;
import io.sangdam.directory.CenterSettings;
import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An agent's {@code close}: filed under an enabled category of the tenant, which a center may require. */
class CloseConversationTest {
  private final Desk desk = new Desk();
  private final List<String> closed = new ArrayList<>();
  private final CloseConversation handler = new CloseConversation(desk.directory,
      (agent, conversation, category, tags, origin) -> {
        closed.add(agent + " " + conversation + " " + category + " " + tags);
        return CompletableFuture.completedFuture("agent");
      }, Desk.AT_ONCE);
  private final InMemoryOutbound out = new InMemoryOutbound();

  @Test
  void aCategoryAndTagsGoWithTheCloseAndTheAgentIsAnsweredClosed() {
    desk.put(new Category(30, 1, null, 1, "Billing", true));
    Fields f = desk.frame("{\"type\":\"close\",\"rid\":\"x\",\"conversation\":5,\"category\":30,\"tags\":[\"vip\"]}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    assertEquals(List.of("1000 5 30 [vip]"), closed);
    JsonNode answer = desk.only(out);
    assertEquals("closed", answer.path("type").asText());
    assertEquals("x", answer.path("rid").asText());
    assertEquals("agent", answer.path("reason").asText());
  }

  @Test
  void aDisabledCategoryIsRefused() {
    desk.put(new Category(31, 1, null, 1, "Old", false));
    Fields f = desk.frame("{\"type\":\"close\",\"rid\":\"x\",\"conversation\":5,\"category\":31}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    desk.assertError(out, "invalid_field", "x");
    assertEquals(List.of(), closed);
  }

  @Test
  void aCenterThatRequiresACategoryRefusesACloseWithout() {
    desk.put(new Center(10, 1, "seoul", "Seoul", "Asia/Seoul", null,
        new CenterSettings(null, null, null, null, true, 20), true));
    Fields f = desk.frame("{\"type\":\"close\",\"rid\":\"x\",\"conversation\":5}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    desk.assertError(out, "category_required", "x");
    assertEquals(List.of(), closed);
  }
}
