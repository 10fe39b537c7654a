package io.sangdam.attachment;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Small pictures of images, for the chat to show before anyone downloads the whole file. PNG,
 * JPEG and GIF are decoded with the JDK's ImageIO; other images (WebP) and anything that does not
 * decode simply get no preview, which never refuses the file itself.
 */
final class Previews {
  /** The longest side of a preview, in pixels. */
  static final int MAX_SIDE = 320;
  /** Images larger than this are not decoded: a small file can claim a huge canvas (a decompression bomb). */
  static final long MAX_PIXELS = 40_000_000L;

  private Previews() {}

  /**
   * A preview of {@code content}: the image itself when it is already small, else a scaled-down
   * copy (JPEG for photographs, PNG otherwise, keeping transparency). Empty when it cannot be made.
   */
  static Optional<byte[]> of(String contentType, byte[] content) {
    if (!contentType.equals("image/png") && !contentType.equals("image/jpeg") && !contentType.equals("image/gif")) {
      return Optional.empty();
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return Optional.empty();
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > MAX_PIXELS || width <= 0 || height <= 0) {
          return Optional.empty();
        }
        if (width <= MAX_SIDE && height <= MAX_SIDE) {
          return Optional.of(content);
        }
        return Optional.of(scaled(reader.read(0), width, height, contentType.equals("image/jpeg")));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static byte[] scaled(BufferedImage image, int width, int height, boolean photo) throws IOException {
    double scale = (double) MAX_SIDE / Math.max(width, height);
    int w = Math.max(1, (int) Math.round(width * scale));
    int h = Math.max(1, (int) Math.round(height * scale));
    BufferedImage preview = new BufferedImage(w, h, photo ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = preview.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(preview, photo ? "jpeg" : "png", out)) {
      throw new IOException("no image writer");
    }
    return out.toByteArray();
  }
}
