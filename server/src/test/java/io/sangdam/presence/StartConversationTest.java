package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.FirstMessage;
import io.sangdam.directory.BusinessHours;
import io.sangdam.directory.Center;
import io.sangdam.directory.CenterSettings;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@code start}: a chat in a queue of the customer's center, answered {@code started}; out of hours, an inquiry or {@code center_closed}. */
class StartConversationTest {
  private final Desk desk = new Desk();
  private final List<String> chat = new ArrayList<>();
  private final StartConversation handler = new StartConversation(desk.directory,
      (tenant, queue, customer, name, text, origin, announce) -> {
        chat.add("start " + tenant + " " + queue.code() + " " + customer + " " + name + " " + text.map(FirstMessage::text).orElse("-"));
        var c = desk.conversation(5, null, ConversationState.WAITING);
        announce.accept(c);
        return CompletableFuture.completedFuture(c);
      },
      (tenant, queue, customer, contact, text) -> {
        chat.add("inquiry " + queue.code() + " " + customer + " " + contact + " " + text);
        return CompletableFuture.completedFuture(3L);
      }, desk.sessions.views(), (center, verified, form) -> Optional.empty(),
      (tenant, conversation, answers) -> { }, desk.time, Desk.AT_ONCE);
  private final InMemoryOutbound out = new InMemoryOutbound();

  /** Seoul, open on Mondays only: closed at the desk's time, a Wednesday. */
  private void mondaysOnly(BusinessHours.OutOfHours outOfHours) {
    desk.put(new Center(10, 1, "seoul", "Seoul", "Asia/Seoul", new BusinessHours(ZoneId.of("Asia/Seoul"),
        Map.of(DayOfWeek.MONDAY, List.of(new BusinessHours.Range(LocalTime.of(9, 0), LocalTime.of(18, 0)))),
        Set.of(), outOfHours), CenterSettings.DEFAULTS, true));
  }

  @Test
  void theChatStartsWithItsOpeningTextAndIsAnnouncedWithTheRid() {
    Fields f = desk.frame("{\"type\":\"start\",\"rid\":\"s\",\"queue\":\"billing\",\"text\":\"hi\"}");
    handler.handle(desk.customer(7, out), f, desk.rid(f));

    assertEquals(List.of("start 1 billing 7 Hong hi"), chat);
    JsonNode started = desk.only(out);
    assertEquals("started", started.path("type").asText());
    assertEquals("s", started.path("rid").asText());
    assertEquals(5, started.path("conversation").path("id").asLong());
  }

  /**
   * With many nodes, the owner's events of the new conversation (its place in line, its agent) may
   * reach this node before the owner's answer: they wait, and the session says started first.
   */
  @Test
  void pushesThatComeBeforeTheAnswerWaitUntilTheSessionSaysStarted() {
    CompletableFuture<Conversation> answer = new CompletableFuture<>();
    AtomicReference<Consumer<Conversation>> announce = new AtomicReference<>();
    StartConversation onAnotherNode = new StartConversation(desk.directory,
        (tenant, queue, customer, name, text, origin, announced) -> {
          announce.set(announced);
          return answer;
        }, (tenant, queue, customer, contact, text) -> CompletableFuture.completedFuture(3L), desk.sessions.views(),
        (center, verified, form) -> Optional.empty(), (tenant, conversation, answers) -> { }, desk.time,
        Desk.AT_ONCE);
    CustomerSession session = desk.customer(7, out);
    Fields f = desk.frame("{\"type\":\"start\",\"rid\":\"s\",\"queue\":\"billing\"}");
    onAnotherNode.handle(session, f, desk.rid(f));

    session.send(new ServerMessage.AssignedToCustomer(5, "Kim"));
    assertEquals(List.of(), out.messages, "held while the start is under way");
    var c = desk.conversation(5, null, ConversationState.WAITING);
    announce.get().accept(c);
    answer.complete(c);

    assertEquals(List.of("started", "assigned"), out.messages.stream().map(m -> desk.wire(m).path("type").asText())
        .toList());
    session.send(new ServerMessage.AssignedToCustomer(5, "Lee"));
    assertEquals(3, out.messages.size(), "nothing held once started");
  }

  @Test
  void aStartThatFailsLetsWhatWasHeldGoAfterTheError() {
    CompletableFuture<Conversation> answer = new CompletableFuture<>();
    StartConversation failing = new StartConversation(desk.directory,
        (tenant, queue, customer, name, text, origin, announced) -> answer,
        (tenant, queue, customer, contact, text) -> CompletableFuture.completedFuture(3L), desk.sessions.views(),
        (center, verified, form) -> Optional.empty(), (tenant, conversation, answers) -> { }, desk.time,
        Desk.AT_ONCE);
    CustomerSession session = desk.customer(7, out);
    Fields f = desk.frame("{\"type\":\"start\",\"rid\":\"s\",\"queue\":\"billing\"}");
    failing.handle(session, f, desk.rid(f));
    session.send(new ServerMessage.AssignedToCustomer(4, "Kim"));

    answer.completeExceptionally(new SangdamException(ErrorCode.UNAVAILABLE, "away"));

    assertEquals(List.of("assigned", "error"), out.messages.stream().map(m -> desk.wire(m).path("type").asText())
        .toList());
  }

  @Test
  void outOfHoursTheOfflineFormIsRefusedWithTheNextOpening() {
    mondaysOnly(BusinessHours.OutOfHours.OFFLINE_FORM);
    Fields f = desk.frame("{\"type\":\"start\",\"rid\":\"s\",\"queue\":\"billing\"}");
    handler.handle(desk.customer(7, out), f, desk.rid(f));

    desk.assertError(out, "center_closed", "s");
    assertEquals("2026-12-07T00:00:00Z", desk.only(out).path("opensAt").asText(), desk.only(out).toString());
    assertEquals(List.of(), chat);
  }

  @Test
  void outOfHoursAnInquiryIsLeft() {
    mondaysOnly(BusinessHours.OutOfHours.OFFLINE_FORM);
    Fields f = desk.frame("{\"type\":\"start\",\"rid\":\"s\",\"queue\":\"billing\",\"offline\":true,"
        + "\"text\":\"call me\",\"contact\":\"010-1234-5678\"}");
    handler.handle(desk.customer(7, out), f, desk.rid(f));

    assertEquals(List.of("inquiry billing 7 010-1234-5678 call me"), chat);
    JsonNode stored = desk.only(out);
    assertEquals("inquiryStored", stored.path("type").asText());
    assertEquals(3, stored.path("inquiry").asLong());
  }

  @Test
  void anUnknownQueueIsNotFound() {
    Fields f = desk.frame("{\"type\":\"start\",\"rid\":\"s\",\"queue\":\"loans\"}");
    handler.handle(desk.customer(7, out), f, desk.rid(f));
    desk.assertError(out, "not_found", "s");
  }
}
