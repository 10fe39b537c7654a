package io.sangdam.api;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the API sees it. {@code authorization} and {@code contentType} are the raw
 * headers, or null.
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, String authorization,
    String contentType, byte[] body, String remoteAddress) {}
