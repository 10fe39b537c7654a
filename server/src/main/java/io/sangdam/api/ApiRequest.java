package io.sangdam.api;

import java.util.List;
import java.util.Map;

/** An HTTP request as the API sees it. {@code authorization} is the raw header, or null. */
public record ApiRequest(String method, String path, Map<String, List<String>> query, String authorization,
    byte[] body, String remoteAddress) {}
