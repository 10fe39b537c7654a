package io.sangdam.directory;

/**
 * A consultation category of a tenant, in three levels (대/중/소 분류): level 1 has no parent,
 * levels 2 and 3 hang under the level above. Never deleted, only disabled, so closed
 * conversations keep theirs.
 */
public record Category(long id, long tenantId, Long parentId, int level, String name, boolean enabled) {
  public static final int LEVELS = 3;
}
