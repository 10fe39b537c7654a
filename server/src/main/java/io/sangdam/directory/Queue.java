package io.sangdam.directory;

/**
 * An inquiry type (상담 유형) of one center. {@code overflowQueueId} and {@code overflowAfterSeconds}
 * are both set or both null: after that long waiting, a conversation moves to that queue.
 */
public record Queue(long id, long centerId, String code, String name, RoutingPolicy policy, int maxChatsPerAgent,
    Long overflowQueueId, Integer overflowAfterSeconds) {}
