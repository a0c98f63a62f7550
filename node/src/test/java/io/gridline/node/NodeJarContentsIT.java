package io.gridline.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shaded node jar holds what a node runs and nothing of the tests: no test kit, no test classes, no test library.
 * (The kit once lived in devservices, which the node needs at compile scope, and came along with it.)
 */
class NodeJarContentsIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  /** Test classes by the house's names: {@code FooTest}, {@code FooIT}, {@code FooFixture}, {@code TestNodes}. */
  private static final Pattern TEST_CLASS =
      Pattern.compile("io/gridline/.*/(Test[A-Z]\\w*|\\w+(Test|Tests|IT|Fixture))(\\$[^/]*)?\\.class");
  private static final List<String> TEST_PACKAGES = List.of("io/gridline/testkit/", "org/opentest4j/", "org/junit/",
      "io/vertx/junit5/", "org/apiguardian/");

  @Test
  void theNodeJarHoldsNoTestKitNoTestClassAndNoTestLibrary() throws IOException {
    Path jar = Path.of(System.getProperty("gridline.node.jar",
        ROOT.resolve("node/target/gridline-node.jar").toString()));
    assertTrue(Files.isRegularFile(jar), jar + " is built by `package` before failsafe runs");
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = file.stream().map(e -> e.getName()).toList();
      List<String> testCode = names.stream()
          .filter(n -> TEST_PACKAGES.stream().anyMatch(n::startsWith) || TEST_CLASS.matcher(n).matches())
          .toList();
      assertEquals(List.of(), testCode, "test code in " + jar);
      // what the zero-install node does need is still there
      for (String needed : List.of("io/gridline/devservices/EmbeddedKafka.class",
          "io/gridline/devservices/EmbeddedPg.class", "io/gridline/runtime/config/DeclaredKeys.class",
          "config/gridline.yaml")) {
        assertTrue(names.contains(needed), needed + " is missing from " + jar);
      }
    }
  }
}
