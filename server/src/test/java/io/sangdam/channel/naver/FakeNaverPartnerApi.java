package io.sangdam.channel.naver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local fake of Naver TalkTalk's partner gateway, written from navertalk/chatbot-api's README: "보내기 API
 * 작성 방법" (POST /chatbot/v1/event with the 인증 키 as the Authorization header, answered HTTP 200
 * {@code {"success":true,"resultCode":"00"}}) and "오류 명세" (failures still HTTP 200, {@code success}
 * false with {@code resultCode} 01 for a wrong Authorization, 02 for JSON it cannot parse, 99 for the
 * rest). A wrong key is answered 01 as documented; a body not of "메시지 타입 명세" is answered 02 ("JSON 구조에
 * 문제가 있거나 필숫값이 없을 경우"): a {@code send} with exactly one of {@code textContent} (text of at most 10,000
 * characters) and {@code compositeContent} ({@code compositeList} of 1 to 10 composites, each with at least one of
 * {@code title}, {@code description}, {@code elementList} and at least two elements, a title of at most 200 and a
 * description of at most 1,000 characters, at most 10 buttons); buttons of a known type, a {@code TEXT} button's
 * title at most 18 characters (10 in a 퀵 버튼 {@code quickReply}, which holds at most 10 as an {@code OPTION}'s
 * list does) and its code at most 1,000. Other answers are scripted by the test, in order, or are 503 while the test
 * has it {@link #unavailable} (the gateway's own trouble).
 */
public final class FakeNaverPartnerApi implements AutoCloseable {
  public static final String PATH = "/chatbot/v1/event";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What the fake was sent: its Authorization header and body. */
  public record Received(String authorization, String contentType, String body) {}

  /** A scripted answer. */
  public record Answer(int status, String body) {
    static final Answer SUCCESS = new Answer(200, "{\"success\":true,\"resultCode\":\"00\"}");
  }

  private final HttpServer server;
  private final String key;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
  private volatile boolean unavailable;

  public FakeNaverPartnerApi(String key) throws IOException {
    this.key = key;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(PATH, exchange -> {
      try (exchange) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(auth, exchange.getRequestHeaders().getFirst("Content-Type"), body));
        Answer answer = !key.equals(auth)
            ? new Answer(200, "{\"success\":false,\"resultCode\":\"01\",\"resultMessage\":\"Authorization 정보 오류\"}")
            : unavailable ? new Answer(503, "")
            : !wellFormed(body)
            ? new Answer(200, "{\"success\":false,\"resultCode\":\"02\",\"resultMessage\":\"request json 문자열 파싱 오류\"}")
            : script.isEmpty() ? Answer.SUCCESS : script.poll();
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    });
    server.start();
  }

  private static boolean wellFormed(String body) {
    JsonNode event;
    try {
      event = MAPPER.readTree(body);
    } catch (IOException e) {
      return false;
    }
    if (!event.path("event").asText().equals("send") || event.path("user").asText().isEmpty()) {
      return false;
    }
    int contents = (event.has("textContent") ? 1 : 0) + (event.has("imageContent") ? 1 : 0)
        + (event.has("compositeContent") ? 1 : 0);
    if (contents != 1) {
      return false;
    }
    if (event.has("textContent")) {
      JsonNode text = event.path("textContent");
      return text.path("text").isTextual() && length(text.path("text")) <= 10_000
          && (!text.has("quickReply") || buttons(text.path("quickReply").path("buttonList"), 10));
    }
    if (event.has("compositeContent")) {
      JsonNode list = event.path("compositeContent").path("compositeList");
      if (!list.isArray() || list.isEmpty() || list.size() > 10) {
        return false;
      }
      for (JsonNode composite : list) {
        int main = 0;
        int elements = 0;
        for (String element : List.of("title", "description", "elementList", "image", "buttonList")) {
          if (composite.has(element)) {
            elements++;
            main += element.equals("image") || element.equals("buttonList") ? 0 : 1;
          }
        }
        if (main == 0 || elements < 2 || length(composite.path("title")) > 200
            || length(composite.path("description")) > 1000
            || composite.has("buttonList") && !buttons(composite.path("buttonList"), 18)) {
          return false;
        }
      }
    }
    return true;
  }

  /** A buttonList of 1 to 10 buttons of a known type; a TEXT one titled in at most {@code maxTitle} characters. */
  private static boolean buttons(JsonNode list, int maxTitle) {
    if (!list.isArray() || list.isEmpty() || list.size() > 10) {
      return false;
    }
    for (JsonNode button : list) {
      String type = button.path("type").asText();
      JsonNode data = button.path("data");
      if (!List.of("TEXT", "LINK", "OPTION", "PAY").contains(type)) {
        return false;
      }
      if (type.equals("TEXT") && (!data.path("title").isTextual() || data.path("title").asText().isEmpty()
          || length(data.path("title")) > maxTitle || length(data.path("code")) > 1000)) {
        return false;
      }
    }
    return true;
  }

  private static int length(JsonNode text) {
    return text.isTextual() ? text.asText().codePointCount(0, text.asText().length()) : 0;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  /** Answers every request 503 while {@code unavailable}. */
  public void unavailable(boolean unavailable) {
    this.unavailable = unavailable;
  }

  public void answerNext(Answer... answers) {
    script.addAll(List.of(answers));
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public String key() {
    return key;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  public static Map<String, String> settings(FakeNaverPartnerApi fake) {
    return Map.of("authorizationKey", fake.key(), "partnerApiUrl", fake.url());
  }
}
