package io.hawkeye.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module layering of docs/architecture.md, enforced on the compiled classes of every module on the tools
 * classpath (udfs, simulator, local, jobs, tools; the scaler depends on udfs alone by its pom):
 *
 * <pre>
 *   tools ──► jobs ──► udfs (core)
 *     │                  ▲
 *     ├──► simulator ────┘
 *     └──► local
 * </pre>
 *
 * The core is pure Java: no Flink outside the SQL functions' table API and their accumulator serializer.
 */
class ArchitectureTest {

    static final String[] CORE = {"io.hawkeye.alerts..", "io.hawkeye.capacity..", "io.hawkeye.config..",
        "io.hawkeye.correlate..", "io.hawkeye.detect..", "io.hawkeye.forecast..", "io.hawkeye.json..",
        "io.hawkeye.queueing..", "io.hawkeye.rca..", "io.hawkeye.scaling..", "io.hawkeye.sketch..",
        "io.hawkeye.sql..", "io.hawkeye.stats..", "io.hawkeye.telemetry..", "io.hawkeye.topology.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.hawkeye");
    }

    @Test
    void seesEveryModuleAndNoTestClasses() {
        for (String name : new String[] {"io.hawkeye.detect.SeasonalDetector", "io.hawkeye.simulator.Simulation",
            "io.hawkeye.local.LocalStack", "io.hawkeye.jobs.HawkeyeJob", "io.hawkeye.tools.cli.HawkeyeCli"}) {
            assertThat(classes.contain(name)).as(name).isTrue();
        }
        assertThat(classes.contain(ArchitectureTest.class)).isFalse();
    }

    @Test
    void modulesDependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy(CORE)
                .layer("jobs").definedBy("io.hawkeye.jobs..")
                .layer("simulator").definedBy("io.hawkeye.simulator..")
                .layer("local").definedBy("io.hawkeye.local..")
                .layer("tools").definedBy("io.hawkeye.tools..")
                .whereLayer("tools").mayNotBeAccessedByAnyLayer()
                .whereLayer("jobs").mayOnlyBeAccessedByLayers("tools")
                .whereLayer("simulator").mayOnlyBeAccessedByLayers("tools")
                .whereLayer("local").mayOnlyBeAccessedByLayers("tools")
                .whereLayer("core").mayOnlyBeAccessedByLayers("jobs", "simulator", "tools")
                .check(classes);
    }

    /** What the layers above leave open: Flink in the core (but the SQL functions' table API), picocli below tools. */
    static Stream<Named<ArchRule>> forbiddenDependencies() {
        return Stream.of(
                Named.of("coreUsesNoFlinkOutsideTheSqlFunctions", noClasses().that().resideInAnyPackage(CORE)
                        .and().resideOutsideOfPackage("io.hawkeye.sql..")
                        .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..")),
                Named.of("sqlFunctionsUseOnlyFlinksTableApi", noClasses().that().resideInAPackage("io.hawkeye.sql..")
                        .should().dependOnClassesThat().resideInAnyPackage(
                                "org.apache.flink.streaming..", "org.apache.flink.runtime..", "org.apache.flink.api.java..")),
                Named.of("coreAndJobsUseNoCommandLineLibrary", noClasses().that().resideInAnyPackage(CORE)
                        .or().resideInAPackage("io.hawkeye.jobs..")
                        .should().dependOnClassesThat().resideInAPackage("picocli..")));
    }

    @ParameterizedTest
    @MethodSource("forbiddenDependencies")
    void noForbiddenDependencies(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.hawkeye.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("io.hawkeye.jobs.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("io.hawkeye.tools.(*)..").should().beFreeOfCycles().check(classes);
    }
}
