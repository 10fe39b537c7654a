package io.sangdam.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * axe-core (Deque's accessibility engine, from its Maven Central artifact) run on the page a browser shows: the
 * serious and critical faults it finds, such as a control without a label or text without enough contrast.
 */
public final class Accessibility {
  private static final String AXE = load();

  private Accessibility() {}

  private static String load() {
    try (InputStream in = Accessibility.class.getResourceAsStream("/axe.min.js")) {
      if (in == null) {
        throw new IllegalStateException("axe.min.js is not on the test class path (com.deque.html.axe-core:selenium)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each serious or critical fault on the page now, as "rule: the elements it found", empty when none. */
  public static List<String> seriousFaults(Browser browser) {
    return seriousFaults(browser, "html");
  }

  /** As {@link #seriousFaults(Browser)}, within the element {@code css} selects (a screen of a console). */
  @SuppressWarnings("unchecked")
  public static List<String> seriousFaults(Browser browser, String css) {
    browser.script(AXE + """
        ;window.__axeFaults = null;
        axe.run(document.querySelector(arguments[0]), { resultTypes: ['violations'] }).then((r) => {
          window.__axeFaults = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
        });
        """, css);
    browser.until("return window.__axeFaults !== null");
    return (List<String>) browser.script("return window.__axeFaults");
  }
}
