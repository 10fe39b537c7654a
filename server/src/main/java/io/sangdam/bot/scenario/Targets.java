package io.sangdam.bot.scenario;

import java.util.Optional;

/**
 * The centers and queues of the tenant a scenario is stored for, as its hours, handoff and inquiry nodes name them.
 * The caller answers from its directory; the scenario itself cannot know them, so {@link Scenario#problemsWith} is
 * asked separately when a scenario is saved, and again finds nothing wrong or names the node.
 */
public interface Targets {
  boolean hasCenter(String center);

  /** Whether {@code queue} is a queue of {@code center}, or of the scenario's own center when that is empty. */
  boolean hasQueue(Optional<String> center, String queue);
}
