package io.sangdam.bot.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A step of a scenario. Message and hours nodes pass straight on; menu, form, FAQ and external-bot nodes wait for
 * the customer; handoff, inquiry and end nodes finish the bot's part of the conversation; a callback node waits for
 * the customer's slot and number, then finishes it.
 */
public sealed interface Node {
  String id();

  /** The type as written in scenario JSON. */
  String type();

  /** Every node this one can lead to, each with the field that names it (for problems and for the graph checks). */
  List<Exit> exits();

  /** Whether the bot stops here for the customer's reply. */
  default boolean waits() {
    return false;
  }

  /** Whether the bot's part ends here. */
  default boolean finishes() {
    return false;
  }

  /** A node that ends the bot's part: it leads nowhere within the scenario. */
  sealed interface Final extends Node {
    @Override
    default List<Exit> exits() {
      return List.of();
    }

    @Override
    default boolean finishes() {
      return true;
    }
  }

  /** A field naming a next node. */
  record Exit(String field, String target) {}

  /** Says {@code text} and goes on to {@code next}: a greeting, an answer. */
  record Message(String id, String text, String next) implements Node {
    @Override
    public String type() {
      return "message";
    }

    @Override
    public List<Exit> exits() {
      return List.of(new Exit("next", next));
    }
  }

  /** Says {@code text} with buttons, each leading to its own node; free text goes to the FAQ, then the fallback. */
  record Menu(String id, String text, List<MenuButton> buttons) implements Node {
    public Menu {
      buttons = List.copyOf(buttons);
    }

    @Override
    public String type() {
      return "menu";
    }

    @Override
    public boolean waits() {
      return true;
    }

    @Override
    public List<Exit> exits() {
      List<Exit> exits = new ArrayList<>();
      for (int i = 0; i < buttons.size(); i++) {
        exits.add(new Exit("buttons[" + i + "].next", buttons.get(i).next()));
      }
      return exits;
    }

    Optional<MenuButton> button(String buttonId) {
      return buttons.stream().filter(b -> b.id().equals(buttonId)).findFirst();
    }

    List<Button> wireButtons() {
      return buttons.stream().map(b -> new Button(b.id(), b.label())).toList();
    }
  }

  record MenuButton(String id, String label, String next) {}

  /** Says {@code text} (may be null), then asks each field in turn; when all are read, goes on to {@code next}. */
  record Form(String id, String text, List<FormField> fields, String next) implements Node {
    public Form {
      fields = List.copyOf(fields);
    }

    @Override
    public String type() {
      return "form";
    }

    @Override
    public boolean waits() {
      return true;
    }

    @Override
    public List<Exit> exits() {
      return List.of(new Exit("next", next));
    }
  }

  /**
   * Asks a free question and matches it against the tenant's FAQ: a confident match is answered and goes to
   * {@code confident}; an unsure one offers the closest questions as buttons (a pick is answered and goes to
   * {@code confident}; "none of these", or no luck after the retries, goes to {@code unsure}); no match goes to
   * {@code nothing}.
   */
  record Faq(String id, String text, String confident, String unsure, String nothing) implements Node {
    @Override
    public String type() {
      return "faq";
    }

    @Override
    public boolean waits() {
      return true;
    }

    @Override
    public List<Exit> exits() {
      return List.of(new Exit("confident", confident), new Exit("unsure", unsure), new Exit("nothing", nothing));
    }
  }

  /** Goes to {@code open} or {@code closed} by the business hours of {@code center} (null: the conversation's). */
  record Hours(String id, String center, String open, String closed) implements Node {
    @Override
    public String type() {
      return "hours";
    }

    @Override
    public List<Exit> exits() {
      return List.of(new Exit("open", open), new Exit("closed", closed));
    }
  }

  /** Says {@code text} (may be null) and hands the conversation to {@code queue} of {@code center} (null: its own). */
  record Handoff(String id, String text, String queue, String center) implements Final {
    @Override
    public String type() {
      return "handoff";
    }
  }

  /** Says {@code text} (may be null) and leaves an offline inquiry with the collected fields for {@code queue}. */
  record Inquiry(String id, String text, String queue, String center) implements Final {
    @Override
    public String type() {
      return "inquiry";
    }
  }

  /**
   * Offers the callback slots of {@code center} (null: the conversation's) as buttons with {@code ask} (null: the
   * default question), then asks the customer's mobile number unless a form collected one; then says {@code text}
   * (may be null) and leaves a callback request for {@code queue}, which ends the conversation.
   */
  record Callback(String id, String ask, String text, String queue, String center) implements Final {
    @Override
    public String type() {
      return "callback";
    }

    @Override
    public boolean waits() {
      return true;
    }
  }

  /** Says {@code text} (may be null) and ends the conversation for {@code reason}. */
  record End(String id, String text, String reason) implements Final {
    @Override
    public String type() {
      return "end";
    }
  }

  /**
   * The tenant's external bot {@code endpoint} (a code), given the conversation: the bot waits here, each customer
   * message goes to that bot, and its answer says what follows ({@link ExternalAnswer}); a hand-off that names no
   * queue goes on to {@code next}, and a bot that fails or does not answer in time to {@code failure}.
   */
  record ExternalBot(String id, String endpoint, String next, String failure) implements Node {
    @Override
    public String type() {
      return "externalBot";
    }

    @Override
    public boolean waits() {
      return true;
    }

    @Override
    public List<Exit> exits() {
      return List.of(new Exit("next", next), new Exit("failure", failure));
    }
  }
}
