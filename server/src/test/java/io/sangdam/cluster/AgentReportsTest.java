package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.routing.AgentAvailability;
import io.sangdam.routing.AgentProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How the owner of a center puts together what every node reports of an agent. */
class AgentReportsTest {
  private static final long CENTER = 3;
  private static final long AGENT = 7;
  private static final AgentProfile PROFILE = new AgentProfile(AGENT, CENTER, Set.of(11L), 2);

  /** What routing was told, in order. */
  private final List<String> told = new ArrayList<>();
  private final AgentReports reports = new AgentReports(new AgentAvailability() {
    @Override
    public CompletableFuture<Void> agentAvailable(AgentProfile agent) {
      told.add("online");
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> agentUnavailable(long centerId, long agentId, boolean connected,
        String awayReason) {
      told.add(connected ? "away" : "offline");
      return CompletableFuture.completedFuture(null);
    }
  });

  /**
   * The agent came back on node b while node a had not yet found its old connection dead, and a's
   * report came last (a new owner asked every node again): a's session ending must not take the agent
   * offline, since b has them at work.
   */
  @Test
  void anAgentAtWorkOnAnotherNodeStaysRoutedWhenTheLastReportersSessionEnds() {
    reports.available(PROFILE, "b", 1);
    reports.available(PROFILE, "a", 1);
    reports.unavailable(CENTER, AGENT, false, null, "a", 2);

    assertEquals(List.of("online", "online", "online"), told, "b's ONLINE told again when a's went");
    reports.unavailable(CENTER, AGENT, false, null, "b", 2);
    assertEquals("offline", told.get(told.size() - 1), "nobody has them at work any more");
  }

  @Test
  void aReportOlderThanOneTakenFromTheSameNodeIsDropped() {
    reports.unavailable(CENTER, AGENT, false, null, "b", 5);
    reports.available(PROFILE, "b", 4);
    reports.available(PROFILE, "b", 5);

    assertEquals(List.of("offline"), told, "a retried ONLINE cannot undo the OFFLINE sent after it");
  }

  @Test
  void theLatestStatusSetWinsAndAnotherNodesOfflineChangesNothing() {
    reports.available(PROFILE, "a", 1);
    reports.unavailable(CENTER, AGENT, true, null, "b", 1);
    reports.unavailable(CENTER, AGENT, false, null, "a", 2);
    assertEquals(List.of("online", "away"), told, "AWAY set on b stands; a's session ending is not news");

    reports.unavailable(CENTER, AGENT, false, null, "b", 2);
    assertEquals(List.of("online", "away", "offline"), told);
  }

  @Test
  void theAgentsAtWorkOnlyOnANodeThatLeftGoOffline() {
    reports.available(PROFILE, "a", 1);
    reports.available(new AgentProfile(8, CENTER, Set.of(11L), 2), "b", 1);
    reports.available(new AgentProfile(8, CENTER, Set.of(11L), 2), "a", 2);

    reports.nodeLeft("a");

    assertEquals(5, told.size());
    assertEquals(Set.of("offline", "online"), Set.copyOf(told.subList(3, 5)),
        "agent 7 offline; agent 8, at work on b too and told a's last, is told b's again");
    reports.nodeLeft("a");
    assertEquals(5, told.size(), "a node leaving twice changes nothing more");
  }

  /**
   * A center taken up here afresh: what was reported while another node owned it never came here, so a
   * report kept from an earlier ownership is not at work any more, and nothing older than it is taken.
   */
  @Test
  void aCenterTakenUpAgainForgetsWhoWasAtWorkButNotHowOldTheReportsWere() {
    reports.available(PROFILE, "a", 10);
    reports.available(PROFILE, "b", 10);
    reports.centerTakenUp(CENTER);

    reports.unavailable(CENTER, AGENT, false, null, "b", 11);
    assertEquals("offline", told.get(told.size() - 1), "a's old ONLINE does not keep the agent routed");
    reports.available(PROFILE, "a", 9);
    assertEquals("offline", told.get(told.size() - 1), "a report older than the forgotten one is dropped");
    reports.available(PROFILE, "a", 12);
    assertEquals("online", told.get(told.size() - 1), "a's new report (its answer to the new owner) counts");
  }
}
