package io.sangdam.stats;

/**
 * One agent's own day so far: the chats they closed (handled), the average time from their taking each to its
 * end, and the customers' ratings of them. Averages are null where nothing was counted.
 */
public record AgentDay(long handled, Double avgHandleSeconds, Double csatAvg, long csatResponses) {}
