package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.ChatStore;
import io.sangdam.chat.ConversationRecords.CustomerHistory;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.Replay;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.Fields;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code history}: the customer with their contact masked, and earlier transcripts as staff see them. */
class ShowHistoryTest {
  private final Desk desk = new Desk();
  private final RecordedAccess access = new RecordedAccess();

  @Test
  void theContactAndPersonalNumbersInEarlierMessagesAreMasked() {
    InMemoryOutbound out = new InMemoryOutbound();
    StoredMessage earlier = new StoredMessage(4, 1, SenderKind.CUSTOMER, 7L, "m1", "call me at 010-1234-5678",
        desk.time.instant(), null, false);
    ShowHistory handler = new ShowHistory((agent, conversation) -> CompletableFuture.completedFuture(
        new CustomerHistory(new ChatStore.CustomerRecord(7, "Hong", "hong@example.com", "h-7", null), List.of(
            new Replay(desk.conversation(4, desk.kim.id(), ConversationState.CLOSED), List.of(earlier), false)),
            false)), desk.sessions, access, Desk.AT_ONCE);
    Fields f = desk.frame("{\"type\":\"history\",\"rid\":\"h\",\"conversation\":5}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    JsonNode answer = desk.only(out);
    assertEquals("history", answer.path("type").asText());
    assertEquals("h", answer.path("rid").asText());
    assertEquals("h***@example.com", answer.path("customer").path("contact").asText(), answer.toString());
    JsonNode past = answer.path("earlier").get(0);
    assertEquals(4, past.path("conversation").path("id").asLong());
    String text = past.path("messages").get(0).path("text").asText();
    assertEquals("call me at 010-****-5678", text);
    assertEquals(1, access.records.size(), "earlier conversations are more than the agent's live chat: recorded");
    assertEquals("history", access.records.get(0).action());
    assertEquals(List.of(7L), access.records.get(0).subjects());
    assertEquals(desk.kim.id(), access.records.get(0).actorId());
  }

  @Test
  void aCustomerWithoutEarlierConversationsIsTheAgentsOwnChatOnly() {
    InMemoryOutbound out = new InMemoryOutbound();
    ShowHistory handler = new ShowHistory((agent, conversation) -> CompletableFuture.completedFuture(
        new CustomerHistory(new ChatStore.CustomerRecord(7, "Hong", null, null, null), List.of(), false)),
        desk.sessions, access, Desk.AT_ONCE);
    Fields f = desk.frame("{\"type\":\"history\",\"rid\":\"h\",\"conversation\":5}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));
    assertEquals("history", desk.only(out).path("type").asText());
    assertEquals(0, access.records.size());
  }

  @Test
  void aHistoryWhoseRecordCannotBeWrittenIsRefused() {
    InMemoryOutbound out = new InMemoryOutbound();
    StoredMessage earlier = new StoredMessage(4, 1, SenderKind.CUSTOMER, 7L, "m1", "hello", desk.time.instant(), null,
        false);
    ShowHistory handler = new ShowHistory((agent, conversation) -> CompletableFuture.completedFuture(
        new CustomerHistory(new ChatStore.CustomerRecord(7, "Hong", null, null, null), List.of(
            new Replay(desk.conversation(4, desk.kim.id(), ConversationState.CLOSED), List.of(earlier), false)),
            false)), desk.sessions, new RecordedAccess() {
              @Override
              public void record(io.sangdam.accesslog.AccessRecord record) {
                throw new IllegalStateException("the database is gone");
              }
            }, Desk.AT_ONCE);
    Fields f = desk.frame("{\"type\":\"history\",\"rid\":\"h\",\"conversation\":5}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));
    JsonNode answer = desk.only(out);
    assertEquals("error", answer.path("type").asText(), answer.toString());
  }
}
