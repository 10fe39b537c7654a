package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.directory.Category;
import io.sangdam.protocol.Fields;
import org.junit.jupiter.api.Test;

/** {@code categories}: the tenant's enabled categories only. */
class ListCategoriesTest {
  private final Desk desk = new Desk();

  @Test
  void onlyTheTenantsEnabledCategoriesAreListed() {
    desk.put(new Category(30, 1, null, 1, "Billing", true));
    desk.put(new Category(31, 1, null, 1, "Old", false));
    desk.put(new Category(32, 2, null, 1, "Elsewhere", true));
    InMemoryOutbound out = new InMemoryOutbound();
    Fields f = desk.frame("{\"type\":\"categories\",\"rid\":\"c\"}");
    new ListCategories(desk.directory, Desk.AT_ONCE).handle(desk.agent(desk.kim, out), f, desk.rid(f));

    JsonNode answer = desk.only(out);
    assertEquals("categories", answer.path("type").asText());
    assertEquals("c", answer.path("rid").asText());
    assertEquals(1, answer.path("categories").size(), answer.toString());
    assertEquals("Billing", answer.path("categories").get(0).path("name").asText());
  }
}
