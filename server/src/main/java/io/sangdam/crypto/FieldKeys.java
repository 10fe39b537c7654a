package io.sangdam.crypto;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The keys of personal fields: AES-256 keys by id, of which {@code active} seals new values (the others still
 * open what they sealed), and the separate HMAC key of the blind index. Key ids are short, as every sealed
 * value carries its key's id.
 *
 * <p>As a key file ({@code crypto.keyFile}), properties: {@code active=k2}, {@code key.k1=<base64 of 32 bytes>},
 * {@code key.k2=...}, {@code index=<base64 of 32 bytes>}.
 */
public final class FieldKeys {
  public static final Pattern KEY_ID = Pattern.compile("[a-z0-9]{1,8}");
  private static final int KEY_BYTES = 32;

  private final Map<String, byte[]> keys;
  private final String active;
  private final byte[] index;

  public FieldKeys(Map<String, byte[]> keys, String active, byte[] index) {
    requireNonNull(keys, "keys");
    requireNonNull(active, "active");
    requireNonNull(index, "index");
    keys.forEach((id, key) -> {
      if (!KEY_ID.matcher(id).matches()) {
        throw new IllegalArgumentException("key id '" + id + "' is not 1 to 8 lower-case letters and digits");
      }
      if (key.length != KEY_BYTES) {
        throw new IllegalArgumentException("key " + id + " has " + key.length + " bytes, not " + KEY_BYTES);
      }
    });
    if (!keys.containsKey(active)) {
      throw new IllegalArgumentException("the active key '" + active + "' is not among the keys " + keys.keySet());
    }
    if (index.length != KEY_BYTES) {
      throw new IllegalArgumentException("the index key has " + index.length + " bytes, not " + KEY_BYTES);
    }
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    this.active = active;
    this.index = index.clone();
  }

  /** A first key ring: one key, {@code k1}, active, and an index key. */
  public static FieldKeys generate(SecureRandom random) {
    return new FieldKeys(Map.of("k1", randomKey(random)), "k1", randomKey(random));
  }

  /** This ring with {@code id} added as a new random key and made the active one. */
  public FieldKeys withNewActiveKey(String id, SecureRandom random) {
    if (keys.containsKey(id)) {
      throw new IllegalArgumentException("there already is a key '" + id + "'");
    }
    Map<String, byte[]> more = new LinkedHashMap<>(keys);
    more.put(id, randomKey(random));
    return new FieldKeys(more, id, index);
  }

  private static byte[] randomKey(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return key;
  }

  /** From the key file's properties; an exact message names what is wrong. */
  public static FieldKeys parse(Properties p) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames().stream().sorted().toList()) {
      if (name.startsWith("key.")) {
        keys.put(name.substring("key.".length()), base64(p, name));
      } else if (!name.equals("active") && !name.equals("index")) {
        throw new IllegalArgumentException("unknown entry '" + name + "' (expected active, index and key.<id>)");
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no key.<id> entry");
    }
    String active = p.getProperty("active");
    if (active == null) {
      throw new IllegalArgumentException("no 'active' entry naming the key that seals new values");
    }
    if (p.getProperty("index") == null) {
      throw new IllegalArgumentException("no 'index' entry (the blind index's key)");
    }
    return new FieldKeys(keys, active.strip(), base64(p, "index"));
  }

  private static byte[] base64(Properties p, String name) {
    try {
      return Base64.getDecoder().decode(p.getProperty(name).strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + name + "' is not base64", e);
    }
  }

  public Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("active", active);
    keys.forEach((id, key) -> p.setProperty("key." + id, Base64.getEncoder().encodeToString(key)));
    p.setProperty("index", Base64.getEncoder().encodeToString(index));
    return p;
  }

  public String active() {
    return active;
  }

  public java.util.Set<String> ids() {
    return keys.keySet();
  }

  byte[] key(String id) {
    return keys.get(id);
  }

  byte[] indexKey() {
    return index;
  }
}
