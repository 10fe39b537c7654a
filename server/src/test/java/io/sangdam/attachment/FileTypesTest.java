package io.sangdam.attachment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileTypesTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
  private static final byte[] HTML = "<html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8);

  @Test
  void theDeclaredTypeCountsWithoutItsParameters() {
    assertEquals(Optional.of("text/plain"), FileTypes.of("Text/Plain; charset=UTF-8", "a.bin", new byte[] {1}));
  }

  @Test
  void aliasesBrowsersSendReadAsTheUsualName() {
    assertEquals(Optional.of("application/x-hwp"), FileTypes.of("application/haansofthwp", "공문.hwp", new byte[] {1}));
    assertEquals(Optional.of("image/jpeg"), FileTypes.of("image/jpg", "a.jpg", new byte[] {1}));
  }

  @Test
  void anUndeclaredTypeIsTakenFromTheExtensionThenFromTheContent() {
    assertEquals(Optional.of("application/x-hwp"), FileTypes.of(null, "공문.HWP", new byte[] {1}));
    assertEquals(Optional.of("image/png"), FileTypes.of("application/octet-stream", "photo", PNG));
    assertEquals(Optional.empty(), FileTypes.of("", "photo", new byte[] {1, 2}));
  }

  @Test
  void typesWithASignatureMustCarryIt() {
    assertTrue(FileTypes.matches("image/png", PNG));
    assertFalse(FileTypes.matches("image/png", HTML));
    assertFalse(FileTypes.matches("image/jpeg", PNG));
    assertTrue(FileTypes.matches("image/webp", "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(FileTypes.matches("image/webp", "RIFF\0\0\0\0WAVE".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(FileTypes.matches("application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(FileTypes.matches("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        new byte[] {'P', 'K', 3, 4, 0}));
    assertFalse(FileTypes.matches("application/x-hwp", new byte[] {'P', 'K', 3, 4}));
  }

  @Test
  void textMustBeUtf8WithoutNulBytes() {
    assertTrue(FileTypes.matches("text/plain", "주문번호 1234".getBytes(StandardCharsets.UTF_8)));
    assertFalse(FileTypes.matches("text/plain", new byte[] {'a', 0, 'b'}));
    assertFalse(FileTypes.matches("text/plain", "주문".getBytes(java.nio.charset.Charset.forName("EUC-KR"))));
  }

  @Test
  void markupIsRefusedWhateverItIsSentAs() {
    byte[] note = "주문번호 1234, <b>굵게</b> 보였어요; a < b".getBytes(StandardCharsets.UTF_8);
    assertFalse(FileTypes.isMarkup("text/plain", "memo.txt", note), "a note that mentions a tag is text");
    assertFalse(FileTypes.isMarkup("text/plain", "apple.txt", "<apple> pie".getBytes(StandardCharsets.UTF_8)));
    assertTrue(FileTypes.isMarkup("text/plain", "memo.txt", HTML));
    assertTrue(FileTypes.isMarkup("text/plain", "memo.txt", "\uFEFF  \n<!DOCTYPE html><p>hi"
        .getBytes(StandardCharsets.UTF_8)));
    assertTrue(FileTypes.isMarkup("text/csv", "a.csv", "<P>a,b".getBytes(StandardCharsets.UTF_8)));
    assertTrue(FileTypes.isMarkup("text/plain", "logo.txt",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".getBytes(StandardCharsets.UTF_8)));
    assertTrue(FileTypes.isMarkup("text/plain", "a.txt", "<?xml version=\"1.0\"?><x/>".getBytes(StandardCharsets.UTF_8)));
    assertTrue(FileTypes.isMarkup("text/plain", "log.txt", ("line 1\nline 2 <script>steal()</script>")
        .getBytes(StandardCharsets.UTF_8)), "an active tag near the start, not only as the opening");
    assertTrue(FileTypes.isMarkup("text/plain", "page.HTML", "hello".getBytes(StandardCharsets.UTF_8)),
        "saved under its name, it opens as a page");
    assertTrue(FileTypes.isMarkup("application/octet-stream", "logo.svg", new byte[] {1}));
    assertFalse(FileTypes.isMarkup("image/png", "a.png", PNG));
    assertTrue(FileTypes.isMarkup("image/svg+xml", "logo", "<svg/>".getBytes(StandardCharsets.UTF_8)),
        "a type an operator allowed, with no signature to check");
    assertFalse(FileTypes.isMarkup("image/jpeg", "a.jpg", "\u00ff\u00d8<?xpacket <x:xmpmeta <?xml"
        .getBytes(StandardCharsets.ISO_8859_1)), "a photo's XMP metadata is not a page");
  }

  @Test
  void onlyRasterImagesAreShownInline() {
    assertTrue(FileTypes.INLINE.contains("image/png"));
    assertFalse(FileTypes.INLINE.contains("image/svg+xml"));
    assertFalse(FileTypes.INLINE.contains("application/pdf"));
  }
}
