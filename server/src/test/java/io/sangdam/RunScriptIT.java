package io.sangdam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/run} as a newcomer meets it, on a copy of the clone's layout holding the built jar:
 * it builds again when anything that goes into the jar changed (admin-web/ too: edited web files were
 * served stale), its build output carries no terminal colour codes, and otherwise it runs the jar it
 * has, from a copy, with the command it was given.
 */
class RunScriptIT {
  private static final Path ROOT = Path.of(System.getProperty("sangdam.root", "..")).toAbsolutePath().normalize();
  private static final Instant BUILT = Instant.now().minus(1, ChronoUnit.HOURS);

  private Path clone;

  /** Under target/, on the jar's file system: the script hard-links the libraries into its copy. */
  @BeforeEach
  void copyTheLayout() throws IOException {
    clone = Files.createTempDirectory(ROOT.resolve("server/target"), "run-script-");
    Files.createDirectories(clone.resolve("scripts"));
    Files.copy(ROOT.resolve("scripts/run"), clone.resolve("scripts/run"));
    Path jar = ROOT.resolve("server/target/sangdam-server.jar");
    assertTrue(Files.exists(jar), "the test needs the built jar: mvn package");
    Files.createDirectories(clone.resolve("server/target/lib"));
    Files.copy(jar, clone.resolve("server/target/sangdam-server.jar"));
    try (Stream<Path> libraries = Files.list(ROOT.resolve("server/target/lib"))) {
      for (Path library : libraries.toList()) {
        Files.createLink(clone.resolve("server/target/lib").resolve(library.getFileName()), library);
      }
    }
    // An empty POM: a build, if the script starts one, fails at once, after Maven has printed its errors.
    for (String file : List.of("pom.xml", "server/pom.xml", "server/src/main/java/io/sangdam/Main.java",
        "sql/V001__init.sql", "admin-web/agent/agent.js")) {
      Files.createDirectories(clone.resolve(file).getParent());
      Files.writeString(clone.resolve(file), "");
    }
    // Folders too: one changes when a file is added to it or removed, and the script counts that as a change.
    for (String top : List.of("pom.xml", "server/pom.xml", "server/src", "sql", "admin-web")) {
      try (Stream<Path> sources = Files.walk(clone.resolve(top))) {
        for (Path source : sources.toList()) {
          Files.setLastModifiedTime(source, FileTime.from(BUILT.minus(1, ChronoUnit.MINUTES)));
        }
      }
    }
    Files.setLastModifiedTime(clone.resolve("server/target/sangdam-server.jar"), FileTime.from(BUILT));
  }

  @AfterEach
  void removeTheCopy() throws Exception {
    assertEquals(0, new ProcessBuilder("rm", "-rf", clone.toString()).start().waitFor());
  }

  private record Run(int exit, String output) {}

  private Run run(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(clone.resolve("scripts/run").toString()));
    command.addAll(List.of(args));
    Path output = clone.resolve("output.txt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "scripts/run ends");
    return new Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  @Test
  void aJarNewerThanEverySourceRunsAsItIsFromACopyWithTheCommandGiven() throws Exception {
    Run run = run("version");
    assertEquals(0, run.exit(), run.output());
    assertFalse(run.output().contains("building"), run.output());
    assertTrue(run.output().startsWith("sangdam "), run.output());
    try (Stream<Path> copies = Files.list(clone.resolve("data/program"))) {
      Path copy = copies.findFirst().orElseThrow();
      assertTrue(Files.exists(copy.resolve("sangdam-server.jar")) && Files.isDirectory(copy.resolve("lib")));
    }
  }

  @Test
  void anEditedWebFileAloneRebuildsAndMavenSaysSoWithoutColourCodes() throws Exception {
    Files.setLastModifiedTime(clone.resolve("admin-web/agent/agent.js"), FileTime.from(Instant.now()));
    Run run = run("version");
    assertTrue(run.output().contains("building Sangdam (admin-web/agent/agent.js changed)..."), run.output());
    assertNotEquals(0, run.exit(), "the empty POM fails the build, and the script stops there: " + run.output());
    assertTrue(run.output().contains("[ERROR]"), "Maven's own output is shown: " + run.output());
    assertFalse(run.output().contains("\u001b"), "no terminal escape codes: " + run.output());
  }

  @Test
  void aChangedMigrationRebuildsToo() throws Exception {
    Files.setLastModifiedTime(clone.resolve("sql/V001__init.sql"), FileTime.from(Instant.now()));
    Run run = run("version");
    assertTrue(run.output().contains("building Sangdam (sql/V001__init.sql changed)..."), run.output());
  }
}
