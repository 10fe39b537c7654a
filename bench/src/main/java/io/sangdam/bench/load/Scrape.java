package io.sangdam.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's Prometheus metrics ({@code /metrics}) at one moment: each sample's value added up over its label
 * sets (a {@code _max} the largest of them). Two of them, before and after a window, give the window's counts.
 */
final class Scrape {
  private final Map<String, Double> values;

  private Scrape(Map<String, Double> values) {
    this.values = values;
  }

  static Scrape of(String base) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(base + "/metrics answered " + response.statusCode());
    }
    return parse(response.body());
  }

  /** From a Prometheus text exposition: {@code name{labels} value [timestamp]}, comments left out. */
  private static Scrape parse(String text) {
    Map<String, Double> values = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int labels = line.indexOf('{');
      String name = labels < 0 ? line.substring(0, line.indexOf(' ')) : line.substring(0, labels);
      String rest = labels < 0 ? line.substring(name.length()) : line.substring(line.lastIndexOf('}') + 1);
      double value = Double.parseDouble(rest.trim().split(" ")[0]);
      values.merge(name, value, name.endsWith("_max") ? Math::max : Double::sum);
    }
    return new Scrape(values);
  }

  /** The sample's value (all its label sets together); 0 for one the server does not have. */
  double value(String name) {
    return values.getOrDefault(name, 0.0);
  }

  /** How much {@code name} grew since {@code before}: for counters and the counts and sums of timers. */
  double since(Scrape before, String name) {
    return value(name) - before.value(name);
  }
}
