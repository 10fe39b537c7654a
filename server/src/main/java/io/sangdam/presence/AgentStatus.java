package io.sangdam.presence;

public enum AgentStatus {
  ONLINE,
  AWAY,
  OFFLINE
}
