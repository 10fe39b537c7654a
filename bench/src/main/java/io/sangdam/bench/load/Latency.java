package io.sangdam.bench.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Latencies in microseconds, read off an HdrHistogram. */
record Latency(Histogram histogram) {
  long count() {
    return histogram.getTotalCount();
  }

  private double ms(double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  String summary() {
    return String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", ms(50), ms(99), ms(99.9));
  }

  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count());
    m.put("p50", ms(50));
    m.put("p99", ms(99));
    m.put("p99.9", ms(99.9));
    m.put("max", histogram.getMaxValue() / 1000.0);
    return m;
  }
}
