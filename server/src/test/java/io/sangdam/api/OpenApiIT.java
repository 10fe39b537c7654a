package io.sangdam.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI reference served at /api/openapi.json describes exactly the routes the server has,
 * each with its path parameters, responses and the right security: it cannot drift from the code.
 */
class OpenApiIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static JsonNode document() {
    Http.Download page = server.http().download("/api/openapi.json", null);
    assertEquals(200, page.status());
    assertTrue(page.header("Content-Type").startsWith("application/json"));
    return Json.parse(new String(page.body(), StandardCharsets.UTF_8));
  }

  @Test
  void everyRouteIsDescribedAndNothingElse() {
    JsonNode doc = document();
    assertEquals("3.0.3", doc.path("openapi").asText());
    TreeSet<String> described = new TreeSet<>();
    doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      if (List.of("get", "put", "post", "delete", "patch").contains(op.getKey())) {
        described.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));
    assertEquals(new TreeSet<>(server.routeTable().keySet()), described,
        "openapi.json and the route table list the same operations");
  }

  @Test
  void eachOperationDeclaresItsParametersResponsesAndWhetherItNeedsAToken() {
    JsonNode doc = document();
    Map<String, String> routes = server.routeTable();
    List<String> problems = new ArrayList<>();
    Pattern placeholder = Pattern.compile("\\{(\\w+)}");
    doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      String name = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
      JsonNode operation = op.getValue();
      if (!operation.isObject() || !routes.containsKey(name)) {
        return;
      }
      if (!operation.path("responses").isObject() || operation.path("responses").isEmpty()) {
        problems.add(name + ": no responses");
      }
      if (operation.path("operationId").asText().isEmpty()) {
        problems.add(name + ": no operationId");
      }
      Matcher m = placeholder.matcher(path.getKey());
      while (m.find()) {
        if (!declares(operation, path.getValue(), m.group(1))) {
          problems.add(name + ": path parameter " + m.group(1) + " not declared");
        }
      }
      boolean open = operation.has("security") && operation.path("security").isEmpty();
      if (open != routes.get(name).equals("ANYONE")) {
        problems.add(name + (open ? ": says no token, but the route needs one" : ": needs a token, but the route is open"));
      }
    }));
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertFalse(doc.path("components").path("securitySchemes").path("bearerAuth").isMissingNode());
  }

  private static boolean declares(JsonNode operation, JsonNode pathItem, String name) {
    for (JsonNode list : List.of(operation.path("parameters"), pathItem.path("parameters"))) {
      for (JsonNode p : list) {
        JsonNode parameter = p.has("$ref") ? resolve(p.path("$ref").asText()) : p;
        if (parameter.path("in").asText().equals("path") && parameter.path("name").asText().equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  private static JsonNode resolve(String ref) {
    JsonNode node = document();
    for (String part : ref.substring(2).split("/")) {
      node = node.path(part);
    }
    return node;
  }
}
