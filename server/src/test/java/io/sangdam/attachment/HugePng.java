package io.sangdam.attachment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * A decompression bomb as an anonymous customer would send it: a PNG whose blank canvas is huge
 * while its bytes are few. Written row by row, so the test itself never holds the canvas.
 */
final class HugePng {
  private HugePng() {}

  /** 8-bit RGB: 3 bytes a pixel. */
  static byte[] of(int width, int height) {
    return of(width, height, 8, 2, 3);
  }

  /** 16-bit RGBA: 8 bytes a pixel, the widest row a PNG can have for its width. */
  static byte[] rgba16(int width, int height) {
    return of(width, height, 16, 6, 8);
  }

  private static byte[] of(int width, int height, int bitDepth, int colorType, int bytesPerPixel) {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
      byte[] row = new byte[1 + width * bytesPerPixel];
      for (int y = 0; y < height; y++) {
        deflate.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colorType)
        .put((byte) 0).put((byte) 0).put((byte) 0).array());
    chunk(png, "IDAT", compressed.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    png.writeBytes(name);
    png.writeBytes(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
