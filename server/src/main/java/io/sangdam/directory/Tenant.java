package io.sangdam.directory;

public record Tenant(long id, String code, String name, String status) {}
