package io.sangdam.directory;

/** A queue to create; see {@link Queue}. */
public record NewQueue(String code, String name, RoutingPolicy policy, int maxChatsPerAgent, int priority,
    boolean preferPreviousAgent, Long overflowQueueId, Integer overflowAfterSeconds) {}
