package io.sangdam.attachment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

class FileNamesTest {
  @Test
  void keepsAnOrdinaryKoreanName() {
    assertEquals("2026년 11월 명세서 (최종).pdf", FileNames.sanitize("2026년 11월 명세서 (최종).pdf"));
  }

  @Test
  void keepsOnlyTheLastPathSegment() {
    assertEquals("passwd", FileNames.sanitize("../../etc/passwd"));
    assertEquals("report.docx", FileNames.sanitize("C:\\Users\\kim\\report.docx"));
  }

  @Test
  void dropsControlReservedAndDirectionOverrideCharacters() {
    assertEquals("invoicefdp.exe", FileNames.sanitize("invoice\u202Efdp.exe"));
    assertEquals("ab.txt", FileNames.sanitize("a\u0000\n<b>.txt"));
    assertEquals("what.png", FileNames.sanitize("wh?at*.png"));
  }

  @Test
  void collapsesWhitespaceAndTrimsDotsAndSpaces() {
    assertEquals("a b.txt", FileNames.sanitize("  ..a \t  b.txt. "));
    assertEquals("", FileNames.sanitize(".."));
    assertEquals("", FileNames.sanitize("   "));
  }

  @Test
  void composesDecomposedHangulAsMacOsSendsIt() {
    String decomposed = Normalizer.normalize("영수증.png", Normalizer.Form.NFD);
    assertEquals("영수증.png", FileNames.sanitize(decomposed));
  }

  @Test
  void shortensALongNameButKeepsItsExtension() {
    String name = FileNames.sanitize("가".repeat(500) + ".xlsx");
    assertEquals(FileNames.MAX_LENGTH, name.codePointCount(0, name.length()));
    assertTrue(name.endsWith("가.xlsx"));
  }
}
