package io.sangdam.attachment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

class PreviewsTest {
  private final Previews previews = new Previews(new Semaphore(1), Duration.ofMillis(50));

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  @Test
  void aLargePhotoIsScaledToFitWithinTheLongestSide() throws IOException {
    byte[] photo = encode(new BufferedImage(1200, 3000, BufferedImage.TYPE_INT_RGB), "jpeg");
    byte[] preview = previews.of("image/jpeg", photo).orElseThrow();
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(preview));
    assertEquals(128, small.getWidth());
    assertEquals(Previews.MAX_SIDE, small.getHeight());
    assertEquals("image/jpeg", FileTypes.sniff(preview).orElseThrow());
  }

  @Test
  void aLargePngKeepsItsTransparencyAsPng() throws IOException {
    byte[] png = encode(new BufferedImage(640, 640, BufferedImage.TYPE_INT_ARGB), "png");
    byte[] preview = previews.of("image/png", png).orElseThrow();
    assertEquals("image/png", FileTypes.sniff(preview).orElseThrow());
    assertTrue(ImageIO.read(new ByteArrayInputStream(preview)).getColorModel().hasAlpha());
  }

  @Test
  void aSmallImageIsItsOwnPreview() throws IOException {
    byte[] icon = encode(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "gif");
    assertArrayEquals(icon, previews.of("image/gif", icon).orElseThrow());
  }

  @Test
  void noPreviewForWhatCannotOrMustNotBeDecoded() {
    assertTrue(previews.of("application/pdf", "%PDF-1.4".getBytes()).isEmpty());
    assertTrue(previews.of("image/webp", "RIFF\0\0\0\0WEBP".getBytes()).isEmpty(), "the JDK has no WebP decoder");
    assertTrue(previews.of("image/png", Arrays.copyOf(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 40)).isEmpty());
    assertTrue(previews.of("image/png", pngHeader(100_000, 100_000)).isEmpty(),
        "a tiny file claiming a 10-gigapixel canvas is never decoded");
  }

  @Test
  void aHugeCanvasTinyOnTheWireIsDecodedSubsampledInLittleMemory() throws IOException {
    byte[] bomb = HugePng.of(6000, 6000);
    assertTrue(bomb.length < 200_000, "36 million pixels in " + bomb.length + " bytes");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    byte[] preview = previews.of("image/png", bomb).orElseThrow();
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    // Decoded whole, the canvas alone is 108 MB (3 bytes a pixel); every 18th row and column is 1/324 of it.
    assertTrue(allocated < 24_000_000, "a preview of a 6000x6000 canvas allocated " + allocated + " bytes");
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(preview));
    assertEquals(Previews.MAX_SIDE, small.getWidth());
    assertEquals(Previews.MAX_SIDE, small.getHeight());
  }

  /**
   * A wide canvas within the area bound: the PNG decoder holds whole rows whatever the
   * subsampling, so 4,000,000 pixels of 16-bit RGBA would be 32 MB a row (three such buffers).
   */
  @Test
  void aWideCanvasTinyOnTheWireIsNotDecodedAtAll() {
    byte[] wide = HugePng.rgba16(4_000_000, 4);
    assertTrue(wide.length < 200_000, "16 million pixels in " + wide.length + " bytes");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    assertTrue(previews.of("image/png", wide).isEmpty(), "a row of 32 MB is never decoded");
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 2_000_000, "refusing a wide canvas allocated " + allocated + " bytes");
  }

  @Test
  void eachSideAndEachRowAreBoundedAsWellAsTheArea() throws IOException {
    assertTrue(Previews.withinBounds(6000, 6000));
    assertTrue(Previews.withinBounds(Previews.MAX_DECODED_SIDE, 2000));
    assertFalse(Previews.withinBounds(Previews.MAX_DECODED_SIDE + 1, 1), "one side too long");
    assertFalse(Previews.withinBounds(1, Previews.MAX_DECODED_SIDE + 1), "one side too long");
    assertFalse(Previews.withinBounds(8000, 8000), "64 million pixels: over a second of inflating");
    assertEquals(3 * 16_384, rowBytes(HugePng.of(16_384, 1)), "8-bit RGB: 3 bytes a pixel");
    assertEquals(8 * 8_192, rowBytes(HugePng.rgba16(8_192, 1)), "16-bit RGBA: 8 bytes a pixel");
    assertTrue(previews.of("image/png", HugePng.rgba16(8_192, 400)).isPresent(), "64 KiB a row is allowed");
    assertTrue(previews.of("image/png", HugePng.rgba16(8_193, 400)).isEmpty(), "a byte more is not");
  }

  /** The bytes of one row of a PNG's canvas, as read from its header. */
  private static long rowBytes(byte[] png) throws IOException {
    ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      reader.setInput(in, true, true);
      return Previews.rowBytes(reader.getWidth(0), reader.getRawImageType(0));
    } finally {
      reader.dispose();
    }
  }

  @Test
  void theDecodedPictureStaysBetweenOneAndTwoPreviewSidesWhateverTheCanvas() {
    assertEquals(1, Previews.subsampling(400, 300));
    assertEquals(18, Previews.subsampling(6000, 6000));
    assertEquals(312, Previews.subsampling(100_000, 1));
    for (int side : new int[] {321, 639, 640, 6000, 9999, 65_535}) {
      int decoded = (side + Previews.subsampling(side, side) - 1) / Previews.subsampling(side, side);
      assertTrue(decoded >= Previews.MAX_SIDE && decoded < 2 * Previews.MAX_SIDE, side + " decodes to " + decoded);
    }
  }

  @Test
  void whenEveryDecodingSlotIsTakenTheFileGetsNoPreviewInsteadOfWaitingLonger() throws IOException {
    Semaphore slots = new Semaphore(1);
    Previews busy = new Previews(slots, Duration.ofMillis(20));
    byte[] photo = encode(new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB), "jpeg");
    slots.acquireUninterruptibly();
    assertTrue(busy.of("image/jpeg", photo).isEmpty(), "the only slot is taken");
    byte[] icon = encode(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png");
    assertArrayEquals(icon, busy.of("image/png", icon).orElseThrow(), "a small picture needs no decoding");
    slots.release();
    assertTrue(busy.of("image/jpeg", photo).isPresent());
    assertEquals(1, slots.availablePermits(), "the slot is given back");
  }

  @Test
  void aProgressiveJpegIsToldFromABaselineOneByItsHeader() throws IOException {
    BufferedImage photo = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    assertFalse(progressive(jpeg(photo, false)));
    assertTrue(progressive(jpeg(photo, true)), "its decoder holds the whole canvas: a lower pixel bound applies");
  }

  private static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static boolean progressive(byte[] jpeg) throws IOException {
    ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      reader.setInput(in, true, false);
      return Previews.progressive(reader);
    } finally {
      reader.dispose();
    }
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
