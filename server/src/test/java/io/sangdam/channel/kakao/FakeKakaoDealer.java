package io.sangdam.channel.kakao;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local fake of a KakaoTalk 상담톡 dealer's API, written from the Happytalk developer center: "메시지 전송"
 * ({@code POST /v1/chat/write} with the {@code HT-Client-Id} and {@code HT-Client-Secret} headers, a JSON
 * body of {@code user_key}, {@code sender_key}, {@code serial_number}, {@code message_type} {@code TX} and a
 * {@code message} of at most 1,000 characters, or {@code LI} with 바로연결 in {@code supplement} ({@link #quickReplies}),
 * answered {@code {"code":0}}) and "상담방 종료"
 * ({@code POST /v1/chat/end} with {@code user_key} and {@code sender_key}, answered
 * {@code {"code":0,"sessionId":...}}). Wrong credentials are answered 401; a refused parameter
 * {@code {"code":-100,"message":"InvalidParameterException"}}; a repeated serial_number is taken once. The
 * test can make it answer 503 (the dealer's own trouble) a number of times, hold the next write (a slow
 * dealer) until the test lets it go, or hang on the next write (its answer's head sent, its body never, which
 * no request timeout of the caller's HTTP client cuts off) until the dealer is closed. Requests are answered
 * on threads of their own, so a held or hung one does not keep the next from being answered.
 */
public final class FakeKakaoDealer implements AutoCloseable {
  public static final String CLIENT_ID = "our-id";
  public static final String CLIENT_SECRET = "dealer-issued-secret";
  public static final String SENDER_KEY = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2";

  private static final ObjectMapper mapper = new ObjectMapper();

  private final HttpServer server;
  /** Every write request's serial_number, in the order they came, answered or not. */
  private final List<String> attempts = new CopyOnWriteArrayList<>();
  /** The serial_numbers of the messages taken (each once), in order. */
  private final List<String> taken = new CopyOnWriteArrayList<>();
  private final Map<String, JsonNode> bodies = new ConcurrentHashMap<>();
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  /** What was taken, in order: {@code write <serial_number>} and {@code end <user_key>}. */
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicReference<CountDownLatch> stallNext = new AtomicReference<>();
  private final AtomicBoolean hangNext = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final ExecutorService threads = Executors.newCachedThreadPool();
  /** While set, every {@code /v1/chat/end} is answered 503 (the dealer's end down while its writes go through). */
  private volatile boolean endsFail;

  public FakeKakaoDealer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/dealer/v1/chat/write", x -> answer(x, write(x)));
    server.createContext("/dealer/v1/chat/end", x -> answer(x, end(x)));
    server.start();
  }

  /** The channel's settings that point at this dealer. */
  public Map<String, String> settings() {
    return Map.of("apiUrl", "http://127.0.0.1:" + server.getAddress().getPort() + "/dealer", "clientId", CLIENT_ID,
        "clientSecret", CLIENT_SECRET, "senderKey", SENDER_KEY);
  }

  /** The next {@code n} write requests are answered 503. */
  public void failNext(int n) {
    failNext.set(n);
  }

  /** The next write request is held (its serial_number noted as an attempt) until {@code until} counts down. */
  public void stallNext(CountDownLatch until) {
    stallNext.set(until);
  }

  /**
   * The next write request is noted as an attempt, then hangs: the head of a 200 answer goes, its body never
   * does (until the dealer is closed), and nothing is taken.
   */
  public void hangNext() {
    hangNext.set(true);
  }

  /** From now on every {@code /v1/chat/end} is answered 503 ({@code true}), or taken again ({@code false}). */
  public void failEnds(boolean fail) {
    endsFail = fail;
  }

  public List<String> attempts() {
    return List.copyOf(attempts);
  }

  public List<String> taken() {
    return List.copyOf(taken);
  }

  public JsonNode body(String serialNumber) {
    return bodies.get(serialNumber);
  }

  /** Every write taken ({@code write <serial_number>}, once) and session ended ({@code end <user_key>}), in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  /** The user_keys whose 상담 session was ended by a {@code /v1/chat/end}. */
  public Set<String> ended() {
    return Set.copyOf(ended);
  }

  private record Answer(int status, String body) {}

  private Answer write(HttpExchange x) throws IOException {
    if (!authorized(x)) {
      return new Answer(401, "{\"code\":-401,\"message\":\"Unauthorized\"}");
    }
    JsonNode body = mapper.readTree(x.getRequestBody());
    String serial = body.path("serial_number").asText();
    attempts.add(serial);
    if (hangNext.getAndSet(false)) {
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, 0);
      x.getResponseBody().flush();
      try {
        closed.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      x.close();
      return null;
    }
    CountDownLatch stall = stallNext.getAndSet(null);
    if (stall != null) {
      try {
        stall.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return new Answer(503, "Service Unavailable");
    }
    String user = body.path("user_key").asText();
    String message = body.path("message").asText();
    if (user.isEmpty() || user.length() > 20 || !SENDER_KEY.equals(body.path("sender_key").asText())
        || serial.isEmpty() || serial.length() > 30 || message.isEmpty() || message.length() > 1000
        || !switch (body.path("message_type").asText()) {
          case "TX" -> true;
          case "LI" -> quickReplies(body.path("supplement"));
          default -> false;
        }) {
      return new Answer(200, "{\"code\":-100,\"message\":\"InvalidParameterException\"}");
    }
    if (bodies.putIfAbsent(serial, body) == null) {
      taken.add(serial);
      calls.add("write " + serial);
    }
    return new Answer(200, "{\"code\":0}");
  }

  /**
   * "supplement: 메시지에 첨부할 바로연결 ... 최대 10개까지 발송가능 (message_type이 LI 일시에 동작)", shaped as Kakao's
   * bizmessage 바로연결 are: {@code {"quick_reply":[{"name","type",...}]}}; a bot keyword ({@code BK}) or message
   * ({@code MD}) button needs only its name, a web link ({@code WL}) its {@code url_mobile}; anything else is refused.
   */
  static boolean quickReplies(JsonNode supplement) {
    JsonNode list = supplement.path("quick_reply");
    if (!list.isArray() || list.isEmpty() || list.size() > 10) {
      return false;
    }
    for (JsonNode button : list) {
      boolean named = button.path("name").isTextual() && !button.path("name").asText().isBlank();
      boolean typed = switch (button.path("type").asText()) {
        case "BK", "MD" -> true;
        case "WL" -> button.path("url_mobile").isTextual();
        default -> false;
      };
      if (!named || !typed) {
        return false;
      }
    }
    return true;
  }

  private Answer end(HttpExchange x) throws IOException {
    if (!authorized(x)) {
      return new Answer(401, "{\"code\":-401,\"message\":\"Unauthorized\"}");
    }
    if (endsFail) {
      return new Answer(503, "Service Unavailable");
    }
    JsonNode body = mapper.readTree(x.getRequestBody());
    if (!SENDER_KEY.equals(body.path("sender_key").asText())) {
      return new Answer(200, "{\"code\":-100,\"message\":\"InvalidParameterException\"}");
    }
    ended.add(body.path("user_key").asText());
    calls.add("end " + body.path("user_key").asText());
    return new Answer(200, "{\"code\":0,\"sessionId\":\"163477524\"}");
  }

  private static boolean authorized(HttpExchange x) {
    String type = x.getRequestHeaders().getFirst("Content-Type");
    return CLIENT_ID.equals(x.getRequestHeaders().getFirst("HT-Client-Id"))
        && CLIENT_SECRET.equals(x.getRequestHeaders().getFirst("HT-Client-Secret"))
        && x.getRequestMethod().equals("POST") && type != null && type.startsWith("application/json");
  }

  /** {@code a}: null when the request was hung up on instead. */
  private static void answer(HttpExchange x, Answer a) throws IOException {
    if (a == null) {
      return;
    }
    try (x) {
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(a.status(), bytes.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
