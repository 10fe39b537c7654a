package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sangdam.changes.Change;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeMessagesTest {
  private final ChangeMessages messages = new ChangeMessages();

  @Test
  void everyChangeReadsBackAsWritten() throws Exception {
    for (Change change : List.of(new Change.DirectoryRow(Change.Kind.TENANT, 1),
        new Change.DirectoryRow(Change.Kind.CENTER, 2), new Change.DirectoryRow(Change.Kind.QUEUE, 3),
        new Change.DirectoryRow(Change.Kind.USER, 4), new Change.SignedOut(5), new Change.UserChanged(6),
        new Change.LoggedOut(7, "ab12"), new Change.WebhooksChanged(8), new Change.BotChanged(9),
        new Change.CallbacksChanged(10, 11))) {
      assertEquals(new ChangeMessages.Received("web1", change), messages.read(messages.write("web1", change)));
    }
  }

  @Test
  void carriesItsFormatVersionAndNode() {
    assertEquals("{\"v\":1,\"node\":\"web1\",\"type\":\"webhooks\",\"tenant\":8}",
        new String(messages.write("web1", new Change.WebhooksChanged(8)), StandardCharsets.UTF_8));
  }

  @Test
  void anythingElseIsUnreadableWithTheReason() {
    assertUnreadable("not JSON", "{");
    assertUnreadable("not a JSON object", "[1]");
    assertUnreadable("no format version", "{\"node\":\"a\",\"type\":\"webhooks\",\"tenant\":1}");
    assertUnreadable("format version 2, this node reads 1", "{\"v\":2,\"node\":\"a\",\"type\":\"webhooks\",\"tenant\":1}");
    assertUnreadable("no node", "{\"v\":1,\"type\":\"webhooks\",\"tenant\":1}");
    assertUnreadable("unknown change type 'coffee'", "{\"v\":1,\"node\":\"a\",\"type\":\"coffee\"}");
    assertUnreadable("unknown directory kind 'PLANET'", "{\"v\":1,\"node\":\"a\",\"type\":\"directory\",\"kind\":\"PLANET\",\"id\":1}");
    assertUnreadable("no id id", "{\"v\":1,\"node\":\"a\",\"type\":\"directory\",\"kind\":\"USER\",\"id\":\"1\"}");
    assertUnreadable("no user id", "{\"v\":1,\"node\":\"a\",\"type\":\"signedOut\",\"user\":-3}");
    assertUnreadable("no user id", "{\"v\":1,\"node\":\"a\",\"type\":\"userChanged\",\"user\":1.5}");
    assertUnreadable("no token", "{\"v\":1,\"node\":\"a\",\"type\":\"loggedOut\",\"user\":1}");
  }

  private void assertUnreadable(String why, String message) {
    assertEquals(why, assertThrows(ChangeMessages.Unreadable.class,
        () -> messages.read(message.getBytes(StandardCharsets.UTF_8))).getMessage(), message);
  }
}
