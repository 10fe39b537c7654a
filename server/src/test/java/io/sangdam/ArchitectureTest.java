package io.sangdam;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of DESIGN.md as rules over the server's classes (not the tests'). The root package
 * {@code io.sangdam} is the composition root and the command line: it may use every package of the
 * server, since building them is its job, but neither Netty nor JDBC itself; nothing uses it back.
 */
@AnalyzeClasses(packages = "io.sangdam", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String ROOT = "io.sangdam";
  private static final String TRANSPORT = "io.sangdam.transport..";
  private static final String API = "io.sangdam.api..";
  private static final String STORE = "io.sangdam.store..";
  private static final String EMBEDDED = "io.sangdam.embedded..";
  private static final String CLUSTER = "io.sangdam.cluster..";

  @ArchTest
  static final ArchRule nettyOnlyInTransport = noClasses().that().resideOutsideOfPackage(TRANSPORT)
      .should().dependOnClassesThat().resideInAPackage("io.netty..")
      .because("transport is the only package that knows the network (DESIGN.md, STYLE.md rule 2)");

  @ArchTest
  static final ArchRule jdbcOnlyInStoreAndEmbedded = noClasses().that().resideOutsideOfPackages(STORE, EMBEDDED)
      .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer.hikari..",
          "org.mariadb.jdbc..", "org.flywaydb..")
      .because("store is the only package that runs SQL; embedded creates its database over JDBC");

  @ArchTest
  static final ArchRule mariaDb4jOnlyInEmbedded = noClasses().that().resideOutsideOfPackage(EMBEDDED)
      .should().dependOnClassesThat().resideInAPackage("ch.vorburger..")
      .because("the embedded MariaDB is started and stopped in one place");

  @ArchTest
  static final ArchRule natsOnlyInCluster = noClasses().that().resideOutsideOfPackage(CLUSTER)
      .should().dependOnClassesThat().resideInAPackage("io.nats..")
      .because("cluster is the only package that talks to the other nodes over NATS");

  @ArchTest
  static final ArchRule noCyclesBetweenPackages = slices().matching("io.sangdam.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule featuresNeverUseTransportOrApi = noClasses()
      .that().resideOutsideOfPackages(ROOT, TRANSPORT, API)
      .should().dependOnClassesThat().resideInAnyPackage(TRANSPORT, API)
      .because("requests come in through transport and api; the features below them do not call back up");

  @ArchTest
  static final ArchRule onlyTheRootUsesTransport = noClasses().that().resideOutsideOfPackages(ROOT, TRANSPORT)
      .should().dependOnClassesThat().resideInAPackage(TRANSPORT)
      .because("only the composition root starts the server's port");

  @ArchTest
  static final ArchRule nothingUsesTheCompositionRoot = noClasses().that().resideOutsideOfPackage(ROOT)
      .should().dependOnClassesThat().resideInAPackage(ROOT)
      .because("the composition root is on top: what it builds is handed down by constructor");
}
