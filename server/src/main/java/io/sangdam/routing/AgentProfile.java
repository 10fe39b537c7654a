package io.sangdam.routing;

import java.util.Set;

/** What routing needs to know of an agent. {@code maxChats} null: each queue's default applies. */
public record AgentProfile(long agentId, long centerId, Set<Long> queueIds, Integer maxChats) {}
