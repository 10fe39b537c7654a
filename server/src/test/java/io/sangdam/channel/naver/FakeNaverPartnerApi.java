package io.sangdam.channel.naver;

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
 * rest). A wrong key is answered 01 as documented; other answers are scripted by the test, in order, or are
 * 503 while the test has it {@link #unavailable} (the gateway's own trouble).
 */
public final class FakeNaverPartnerApi implements AutoCloseable {
  public static final String PATH = "/chatbot/v1/event";

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
        received.add(new Received(auth, exchange.getRequestHeaders().getFirst("Content-Type"),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        Answer answer = !key.equals(auth)
            ? new Answer(200, "{\"success\":false,\"resultCode\":\"01\",\"resultMessage\":\"Authorization 정보 오류\"}")
            : unavailable ? new Answer(503, "") : script.isEmpty() ? Answer.SUCCESS : script.poll();
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
