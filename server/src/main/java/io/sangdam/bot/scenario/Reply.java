package io.sangdam.bot.scenario;

/**
 * What a customer sent the bot: text, and optionally the id of a button they chose. Either may be null but not both.
 * A button the bot did not offer is read as text at a menu or FAQ node and asked again at a form
 * ({@link ScenarioEngine}).
 */
public record Reply(String text, String button) {
  public Reply {
    if ((text == null || text.isBlank()) && (button == null || button.isBlank())) {
      throw new IllegalArgumentException("a reply has text or a button");
    }
    // Some channels send an empty button with typed text: that is no click.
    button = button == null || button.isBlank() ? null : button;
  }

  public static Reply text(String text) {
    return new Reply(text, null);
  }

  /** The reply as text: the text typed, else the button's id (a button the bot does not know). */
  String asText() {
    return text != null && !text.isBlank() ? text : button;
  }
}
