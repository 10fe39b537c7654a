package io.sangdam.attachment;

import static java.util.Objects.requireNonNull;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.w3c.dom.Node;

/**
 * Small pictures of images, for the chat to show before anyone downloads the whole file. PNG,
 * JPEG and GIF are decoded with the JDK's ImageIO; other images (WebP) and anything that does not
 * decode simply get no preview, which never refuses the file itself.
 *
 * <p>A file of 100 KB can claim a canvas of 6000x6000 pixels (a blank one compresses that well),
 * so the work a preview may cost is bounded three ways: the canvas its header claims (read before
 * any pixel is decoded: its area, each side, and the bytes of one row), the pixels actually kept
 * (only every n-th row and column, about twice the preview's size), and how many previews are made
 * at once (past that, the file is stored without one rather than waiting behind other customers'
 * pictures).
 */
final class Previews {
  /** The longest side of a preview, in pixels. */
  static final int MAX_SIDE = 320;
  /**
   * The largest canvas decoded at all. Subsampling keeps the decoded picture small whatever the
   * canvas, but every compressed pixel is still inflated and unfiltered: at the widest PNG pixel
   * (RGBA, 16 bits a sample: 8 bytes) this is 320 MB inflated, about 1 s of one core.
   */
  static final long MAX_PIXELS = 40_000_000L;
  /**
   * The longest side decoded. The PNG decoder holds whole rows (the current one, the one above
   * for unfiltering, and a row of its output) whatever the subsampling, so a canvas of 12,500,000
   * by 8 pixels, within the area bound, would cost hundreds of megabytes for one preview.
   */
  static final int MAX_DECODED_SIDE = 16_384;
  /**
   * The most bytes one row of the canvas may take as stored (width times bits a pixel): what each
   * of those whole-row buffers costs. 64 KiB is 16,384 pixels of 8-bit RGBA, 8,192 of 16-bit RGBA.
   */
  static final int MAX_ROW_BYTES = 64 * 1024;
  /**
   * The largest progressive JPEG decoded: its decoder keeps coefficients for the whole canvas
   * (about 3 bytes a pixel, outside the Java heap) whatever the subsampling.
   */
  static final long MAX_PROGRESSIVE_PIXELS = 24_000_000L;
  /** How long an upload waits for its turn to be previewed before it is stored without one. */
  static final Duration WAIT = Duration.ofSeconds(1);

  private final Semaphore decoding;
  private final Duration wait;

  /** {@code decoding}: one permit per preview made at once; {@code wait}: how long an upload waits for one. */
  Previews(Semaphore decoding, Duration wait) {
    this.decoding = requireNonNull(decoding, "decoding");
    this.wait = requireNonNull(wait, "wait");
  }

  /**
   * A preview of {@code content}: the image itself when it is already small, else a scaled-down
   * copy (JPEG for photographs, PNG otherwise, keeping transparency). Empty when it cannot or must
   * not be made: not a decodable image, a canvas past the bounds, or every decoding slot taken.
   */
  Optional<byte[]> of(String contentType, byte[] content) {
    if (!contentType.equals("image/png") && !contentType.equals("image/jpeg") && !contentType.equals("image/gif")) {
      return Optional.empty();
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return Optional.empty();
      }
      ImageReader reader = readers.next();
      try {
        // Metadata is read only where it is needed: PNG text chunks can be compressed bombs of their own.
        reader.setInput(in, true, !contentType.equals("image/jpeg"));
        // Read from the header alone: nothing is decoded yet.
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (!withinBounds(width, height)) {
          return Optional.empty();
        }
        if (width <= MAX_SIDE && height <= MAX_SIDE) {
          return Optional.of(content);
        }
        if (rowBytes(width, reader.getRawImageType(0)) > MAX_ROW_BYTES) {
          return Optional.empty();
        }
        if (contentType.equals("image/jpeg") && (long) width * height > MAX_PROGRESSIVE_PIXELS && progressive(reader)) {
          return Optional.empty();
        }
        return decodeScaled(reader, width, height, contentType.equals("image/jpeg"));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<byte[]> decodeScaled(ImageReader reader, int width, int height, boolean photo) throws IOException {
    try {
      if (!decoding.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        return Optional.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    try {
      ImageReadParam param = reader.getDefaultReadParam();
      int step = subsampling(width, height);
      param.setSourceSubsampling(step, step, 0, 0);
      return Optional.of(scaled(reader.read(0, param), width, height, photo));
    } finally {
      decoding.release();
    }
  }

  /** Whether a canvas of this size may be decoded at all: its area and each side. */
  static boolean withinBounds(int width, int height) {
    return width > 0 && height > 0 && width <= MAX_DECODED_SIDE && height <= MAX_DECODED_SIDE
        && (long) width * height <= MAX_PIXELS;
  }

  /**
   * The bytes one row of the canvas takes as stored: the width times the bits of every band (read
   * from the header, nothing decoded). An image whose type the reader cannot tell counts as too wide.
   */
  static long rowBytes(int width, ImageTypeSpecifier raw) {
    if (raw == null) {
      return Long.MAX_VALUE;
    }
    long bitsPerPixel = 0;
    for (int bits : raw.getSampleModel().getSampleSize()) {
      bitsPerPixel += bits;
    }
    return (width * bitsPerPixel + 7) / 8;
  }

  /**
   * Every how many rows and columns a pixel is decoded: the decoded picture keeps its longest side
   * between one and two preview sides, enough for a smooth scale-down, so it has at most
   * {@code (2 * MAX_SIDE)^2} pixels whatever the canvas.
   */
  static int subsampling(int width, int height) {
    return Math.max(1, Math.max(width, height) / MAX_SIDE);
  }

  /** Whether a JPEG is progressive (SOF2), read from its header. */
  static boolean progressive(ImageReader reader) throws IOException {
    IIOMetadata metadata = reader.getImageMetadata(0);
    Node root = metadata.getAsTree("javax_imageio_jpeg_image_1.0");
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals("markerSequence")) {
        for (Node marker = n.getFirstChild(); marker != null; marker = marker.getNextSibling()) {
          Node process = marker.getNodeName().equals("sof") ? marker.getAttributes().getNamedItem("process") : null;
          if (process != null && process.getNodeValue().equals("2")) {
            return true;
          }
        }
      }
    }
    return false;
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
