package io.sangdam.directory;

public record Center(long id, long tenantId, String code, String name, String timezone) {}
