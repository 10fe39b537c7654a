package io.sangdam.directory;

/**
 * An inquiry type (상담 유형) of one center. Its conversations wait with {@code priority} (higher
 * first); {@code preferPreviousAgent} gives a returning customer their previous agent when that
 * agent has room. {@code overflowQueueId} and {@code overflowAfterSeconds} are both set or both
 * null: after that long waiting, a conversation moves to that queue. A disabled queue takes no new
 * conversations; those already in it go on.
 */
public record Queue(long id, long centerId, String code, String name, RoutingPolicy policy, int maxChatsPerAgent,
    int priority, boolean preferPreviousAgent, Long overflowQueueId, Integer overflowAfterSeconds, boolean enabled) {}
