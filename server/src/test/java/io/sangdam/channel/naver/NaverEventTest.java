package io.sangdam.channel.naver;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Naver's event bodies as navertalk/chatbot-api's README shows them ("메시지 타입 명세"), read into chat text. */
class NaverEventTest {
  private static final String USER = "al-2eGuGr5WQOnco1_V-FQ";

  @Test
  void eachContentOfASendBecomesText() {
    assertEquals(Optional.of("hello world"), NaverEvent.of(of("event", "send", "user", USER, "textContent",
        of("text", "hello world", "code", "A", "inputType", "button"))).text());
    assertEquals(Optional.of("http://blogfiles5.naver.net/6.jpg"), NaverEvent.of(of("event", "send", "user", USER,
        "imageContent", of("imageUrl", "http://blogfiles5.naver.net/6.jpg"))).text());
    assertEquals(Optional.of("타이틀\n설명\n두 번째"), NaverEvent.of(of("event", "send", "user", USER,
        "compositeContent", of("compositeList", List.of(of("title", "타이틀", "description", "설명",
            "buttonList", List.of()), of("title", "두 번째", "image", of("imageUrl", "http://x/y.png"))))))
        .text());
  }

  @Test
  void aTapOnABotsButtonCarriesTheButtonAnyOtherCodeIsNone() {
    NaverEvent tap = NaverEvent.of(of("event", "send", "user", USER, "textContent",
        of("text", "주문 조회", "code", "button:order", "inputType", "button")));
    assertEquals(Optional.of("주문 조회"), tap.text());
    assertEquals(Optional.of("order"), tap.button());
    for (String code : List.of("rating-3", "button:", "button:" + "x".repeat(65), "order", "")) {
      assertEquals(Optional.empty(), NaverEvent.of(of("event", "send", "user", USER, "textContent",
          of("text", "주문 조회", "code", code))).button(), code);
    }
    assertEquals(Optional.empty(), NaverEvent.of(of("event", "send", "user", USER, "textContent",
        of("text", "주문 조회", "code", 7))).button());
    assertEquals(Optional.empty(), NaverEvent.of(of("event", "send", "user", USER, "textContent",
        of("text", "주문 조회"))).button());
  }

  @Test
  void openHandoverAndTheIgnoredEventsAreRead() {
    NaverEvent open = NaverEvent.of(of("event", "open", "user", USER, "options", of("inflow", "list",
        "referer", "https://talk.naver.com/", "friend", false, "under14", true, "under19", true)));
    assertEquals(NaverEvent.Type.OPEN, open.type());
    assertEquals(Optional.of(true), open.under14());
    assertEquals(Optional.of("takeThread"), NaverEvent.of(of("event", "handover", "user", USER, "partner", "wc1234",
        "options", of("control", "takeThread", "metadata", ""))).control());
    assertEquals(NaverEvent.Type.ECHO, NaverEvent.of(of("event", "echo", "echoedEvent", "send", "user", USER,
        "textContent", of("text", "x"))).type());
    assertEquals(NaverEvent.Type.LEAVE, NaverEvent.of(of("event", "leave", "user", USER)).type());
  }

  @Test
  void aBadFieldIsNamed() {
    assertNamed("textContent.text", of("event", "send", "user", USER, "textContent", of("text", "  ")));
    assertNamed("compositeContent.compositeList", of("event", "send", "user", USER, "compositeContent",
        of("compositeList", List.of(of("image", of("imageUrl", "http://x/y.png"))))));
    assertNamed("options.under14", of("event", "open", "user", USER, "options", of("under14", "yes")));
    assertNamed("user", of("event", "leave"));
    SangdamException tooLong = assertThrows(SangdamException.class, () -> NaverEvent.of(of("event", "send", "user",
        USER, "textContent", of("text", "가".repeat(4001)))));
    assertEquals(ErrorCode.TOO_LONG, tooLong.code());
  }

  private static void assertNamed(String field, JsonNode body) {
    SangdamException e = assertThrows(SangdamException.class,
        () -> NaverEvent.of(body));
    assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
  }
}
