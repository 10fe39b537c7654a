package io.sangdam.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.bot.scenario.Scenario;
import io.sangdam.directory.BusinessHours;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.FieldsFuzzTest;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Fuzzes how the REST API reads a request: the body as {@link Call#body} reads it (bytes, as they come off the
 * socket), every field reader on it, the hours body, and the query and path parameters (paging, dates, time zones,
 * ids), a bot scenario and an FAQ entry's phrasings. Each is read or refused with its documented code: {@code bad_json} for a body that is not a JSON object in
 * UTF-8 (RFC 8259), the field codes for fields, {@code not_found} for an id in the path; never another exception.
 * A body in UTF-8 reads exactly as the same text sent over the WebSocket.
 *
 * <p>Kept inputs replay in every test run; {@code scripts/fuzz RequestBodyFuzzTest} fuzzes.
 */
class RequestBodyFuzzTest {
  private static final Json JSON = new Json();
  private static final Set<ErrorCode> FIELD_REFUSALS = Set.of(ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD,
      ErrorCode.TOO_LONG);
  private static final List<Integer> ITEMS = IntStream.range(0, 50).boxed().toList();

  @FuzzTest
  void readsRequests(FuzzedDataProvider data) {
    Map<String, List<String>> query = Map.of("limit", List.of(data.consumeString(12)),
        "offset", List.of(data.consumeString(12)), "from", List.of(data.consumeString(12)),
        "timezone", List.of(data.consumeString(40)));
    Map<String, String> params = Map.of("center", data.consumeString(24));
    byte[] body = data.consumeRemainingAsBytes();
    Call call = new Call(new ApiRequest("PUT", "/api/tenants/demo/centers/1/hours", query, null, "application/json",
        body, "127.0.0.1", null, Map.of(), Map.of()), null, null, params, JSON);

    readBody(call, body);
    refusedOnlyWith(FIELD_REFUSALS, () -> Paging.page(call, ITEMS)).ifPresent(page -> {
      assertTrue(page.size() <= Paging.MAX_LIMIT);
      assertTrue(page.isEmpty() || ITEMS.subList(page.get(0), page.get(0) + page.size()).equals(page));
    });
    refusedOnlyWith(FIELD_REFUSALS, () -> Paging.window(call)).ifPresent(window -> {
      assertTrue(window.limit() >= 1 && window.limit() <= Paging.MAX_LIMIT && window.offset() >= 0, window.toString());
    });
    refusedOnlyWith(FIELD_REFUSALS, () -> Dates.date(call, "from")).ifPresent(date ->
        date.ifPresent(d -> assertEquals(d, LocalDate.parse(call.query("from").orElseThrow()))));
    refusedOnlyWith(FIELD_REFUSALS, () -> Dates.zone(call));
    refusedOnlyWith(Set.of(ErrorCode.NOT_FOUND), () -> Scope.id(call, "center", "center"));
  }

  /** The body alone, as it comes off the socket: the kept inputs are the bytes of a body as they are. */
  @FuzzTest
  void readsBodies(byte[] body) {
    readBody(new Call(new ApiRequest("POST", "/api/login", Map.of(), null, "application/json", body, "127.0.0.1", null,
        Map.of(), Map.of()), null, null, Map.of(), JSON), body);
  }

  private static void readBody(Call call, byte[] body) {
    JsonNode node;
    try {
      node = call.body().node();
    } catch (SangdamException e) {
      assertEquals(ErrorCode.BAD_JSON, e.code());
      strictUtf8(body).ifPresent(text -> refusedOnlyWith(Set.of(ErrorCode.BAD_JSON), () -> JSON.readObject(text))
          .ifPresent(read -> fail("refused over REST, read over the WebSocket as " + read)));
      return;
    }
    String text = strictUtf8(body).orElseThrow(() -> new AssertionError("a body that is not UTF-8 was read as " + node));
    assertEquals(JSON.readObject(text), node, "a body reads as the same text over the WebSocket");
    FieldsFuzzTest.readFrame(text);
    refusedOnlyWith(FIELD_REFUSALS, () -> BusinessHours.parse(node));
    // A bot scenario (every problem named by its node) and an FAQ entry's phrasings.
    refusedOnlyWith(Set.of(ErrorCode.INVALID_FIELD), () -> Scenario.parse(node, 1, 1));
    refusedOnlyWith(FIELD_REFUSALS, () -> FaqEndpoints.alternatives(new Fields(node)));
  }

  /** The body as text, if it is UTF-8, without the byte order mark RFC 8259 lets a reader ignore. */
  private static Optional<String> strictUtf8(byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** The value read, or empty when refused with one of {@code codes}; any other failure fails the test. */
  private static <T> Optional<T> refusedOnlyWith(Set<ErrorCode> codes, Supplier<T> reader) {
    try {
      return Optional.ofNullable(reader.get());
    } catch (SangdamException e) {
      assertTrue(codes.contains(e.code()), () -> "refused with " + e.code() + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}
