package io.sangdam.attachment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PreviewsTest {
  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  @Test
  void aLargePhotoIsScaledToFitWithinTheLongestSide() throws IOException {
    byte[] photo = encode(new BufferedImage(1200, 3000, BufferedImage.TYPE_INT_RGB), "jpeg");
    byte[] preview = Previews.of("image/jpeg", photo).orElseThrow();
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(preview));
    assertEquals(128, small.getWidth());
    assertEquals(Previews.MAX_SIDE, small.getHeight());
    assertEquals("image/jpeg", FileTypes.sniff(preview).orElseThrow());
  }

  @Test
  void aLargePngKeepsItsTransparencyAsPng() throws IOException {
    byte[] png = encode(new BufferedImage(640, 640, BufferedImage.TYPE_INT_ARGB), "png");
    byte[] preview = Previews.of("image/png", png).orElseThrow();
    assertEquals("image/png", FileTypes.sniff(preview).orElseThrow());
    assertTrue(ImageIO.read(new ByteArrayInputStream(preview)).getColorModel().hasAlpha());
  }

  @Test
  void aSmallImageIsItsOwnPreview() throws IOException {
    byte[] icon = encode(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "gif");
    assertArrayEquals(icon, Previews.of("image/gif", icon).orElseThrow());
  }

  @Test
  void noPreviewForWhatCannotOrMustNotBeDecoded() {
    assertTrue(Previews.of("application/pdf", "%PDF-1.4".getBytes()).isEmpty());
    assertTrue(Previews.of("image/webp", "RIFF\0\0\0\0WEBP".getBytes()).isEmpty(), "the JDK has no WebP decoder");
    assertTrue(Previews.of("image/png", Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 40)).isEmpty());
    assertTrue(Previews.of("image/png", pngHeader(100_000, 100_000)).isEmpty(),
        "a tiny file claiming a 10-gigapixel canvas is never decoded");
  }

  /** A PNG signature and header chunk only: what a decompression bomb shows before its data. */
  private static byte[] pngHeader(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    return ByteBuffer.allocate(8 + 4 + 17 + 4)
        .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
        .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
  }
}
