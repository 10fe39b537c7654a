package io.sangdam.api;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the API sees it. {@code authorization}, {@code contentType} and {@code signature}
 * (the {@code X-Sangdam-Signature} of a channel's inbound request) are the raw headers, or null.
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, String authorization,
    String contentType, byte[] body, String remoteAddress, String signature) {}
