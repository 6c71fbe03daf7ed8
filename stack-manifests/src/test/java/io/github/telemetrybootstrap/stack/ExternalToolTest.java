package io.github.telemetrybootstrap.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The tool rule: a missing tool skips the test naming its Debian package, and fails it when CI=true. */
class ExternalToolTest {

  @Test
  void aMissingToolSkipsNamingTheDebianPackageOrFailsOnCi() {
    ExternalTool missing = new ExternalTool("telemetry-bootstrap-no-such-tool", "some-debian-package");
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    assertThatThrownBy(missing::require)
        .isInstanceOf(ci ? AssertionFailedError.class : TestAbortedException.class)
        .hasMessageContaining("telemetry-bootstrap-no-such-tool")
        .hasMessageContaining("Debian package some-debian-package");
  }

  @Test
  void aToolOnThePathRunsAndReportsItsExitCodeAndOutput() {
    ExternalTool sh = new ExternalTool("sh", "dash");
    sh.require();
    ExternalTool.Result result = sh.run(StackFiles.ROOT, "-c", "echo out; echo err >&2; exit 3");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.output()).contains("out").contains("err");
  }
}
