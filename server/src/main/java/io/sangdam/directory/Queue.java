package io.sangdam.directory;

/** An inquiry type (상담 유형) of one center. */
public record Queue(long id, long centerId, String code, String name, RoutingPolicy policy, int maxChatsPerAgent) {}
