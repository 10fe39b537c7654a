package io.sangdam.auth;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of address ranges in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare
 * address is its own /32 or /128). Empty: every address. Addresses are parsed without any name look-up.
 */
public final class AddressRanges {
  public static final AddressRanges ANYWHERE = new AddressRanges(List.of(), List.of());
  /** Enough for every office and VPN of a company; more is a mistake or an abuse of the column. */
  public static final int MAX_RANGES = 50;
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]{2,45}");

  private final List<String> texts;
  private final List<Range> ranges;

  private record Range(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      BigInteger mask = bits == 0 ? BigInteger.ZERO
          : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftLeft(address.length * 8 - bits);
      return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
    }
  }

  private AddressRanges(List<String> texts, List<Range> ranges) {
    this.texts = texts;
    this.ranges = ranges;
  }

  /** Parses {@code texts}; {@code invalid_field} on {@code field} names the first that is no range. */
  public static AddressRanges parse(List<String> texts, String field) {
    if (texts.size() > MAX_RANGES) {
      throw new SangdamException(ErrorCode.INVALID_FIELD, "field '" + field + "' may hold at most " + MAX_RANGES
          + " ranges", field);
    }
    List<Range> ranges = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (String text : texts) {
      String t = text.trim();
      Range range = range(t);
      if (range == null) {
        throw new SangdamException(ErrorCode.INVALID_FIELD, "field '" + field + "' holds '"
            + (t.length() > 60 ? t.substring(0, 60) + "…" : t) + "', which is no address range like 10.0.0.0/8",
            field);
      }
      ranges.add(range);
      kept.add(t);
    }
    return ranges.isEmpty() ? ANYWHERE : new AddressRanges(List.copyOf(kept), List.copyOf(ranges));
  }

  private static Range range(String text) {
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    byte[] address = literal(host);
    if (address == null) {
      return null;
    }
    int bits = address.length * 8;
    if (slash >= 0) {
      String suffix = text.substring(slash + 1);
      if (!suffix.matches("[0-9]{1,3}") || Integer.parseInt(suffix) > bits) {
        return null;
      }
      bits = Integer.parseInt(suffix);
    }
    return new Range(address, bits);
  }

  /** The bytes of an IPv4 or IPv6 literal, or null: never a host name, so nothing is looked up. */
  private static byte[] literal(String text) {
    if (!LITERAL.matcher(text).matches() || (!text.contains(":") && !text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"))) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public boolean anywhere() {
    return ranges.isEmpty();
  }

  /** Whether {@code address} (a literal, as the transport reports it) lies in one of the ranges. */
  public boolean contains(String address) {
    if (ranges.isEmpty()) {
      return true;
    }
    byte[] bytes = address == null ? null : literal(address.startsWith("[") && address.endsWith("]")
        ? address.substring(1, address.length() - 1) : address);
    if (bytes == null) {
      return false;
    }
    if (bytes.length == 16 && isMappedV4(bytes)) {
      byte[] v4 = new byte[4];
      System.arraycopy(bytes, 12, v4, 0, 4);
      bytes = v4;
    }
    byte[] a = bytes;
    return ranges.stream().anyMatch(r -> r.contains(a));
  }

  private static boolean isMappedV4(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  /** The ranges as they were given, trimmed. */
  public List<String> texts() {
    return texts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressRanges other && other.texts.equals(texts);
  }

  @Override
  public int hashCode() {
    return texts.hashCode();
  }

  @Override
  public String toString() {
    return String.join(",", texts);
  }
}
