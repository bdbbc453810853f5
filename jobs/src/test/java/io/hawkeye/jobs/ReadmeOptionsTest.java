package io.hawkeye.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table is generated from {@link HawkeyeOptions}; this keeps the two in step. */
class ReadmeOptionsTest {
    @Test
    void readmeHasTheGeneratedConfigurationTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme)
                .as("README.md is out of date: paste the output of ./hawkeye options into its Configuration section")
                .contains(HawkeyeOptions.markdownTable());
    }
}
