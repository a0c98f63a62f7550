package io.gridline.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridline.contracts.Topics;
import io.gridline.contracts.node.NodeInfo;
import io.gridline.contracts.registry.ApiKeyRevoked;
import io.gridline.contracts.registry.DeviceChanged;
import io.vertx.core.buffer.Buffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CodecsTest {

  @SuppressWarnings("unchecked")
  private static <T extends Record> T roundTrip(T value) {
    RecordCodec<T> codec = (RecordCodec<T>) Codecs.all().stream().filter(c -> c.type() == value.getClass())
        .findFirst().orElseThrow();
    Buffer buffer = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(buffer, value);
    buffer.appendString("trailer");
    return codec.decodeFromWire(6, buffer);
  }

  @Test
  void everyRecordRoundTrips() {
    List<Record> samples = List.of(
        new DeviceChanged(42L, "7c9e6679-7425-40de-944b-e07fc1f90ae7", "mqtt", "aa:bb:cc:dd:ee:01", DeviceChanged.Change.UPDATED),
        new DeviceChanged(Long.MAX_VALUE, "t", "instrument", "LAB-é✓", DeviceChanged.Change.DELETED),
        new ApiKeyRevoked("k1", "t1"),
        new ApiKeyRevoked("k1", null),
        new NodeInfo("node-a", "127.0.0.1:8081", "", List.of("api", "mqtt-bridge")),
        new NodeInfo("node-b", "10.0.0.2:8081", "hz-uuid", List.of()),
        new io.gridline.contracts.mqtt.DeviceCommand("c1", "t1", 7L, "f2-aabbccddee01", "cmnd/f2-aabbccddee01/power",
            "T04=", 2),
        new io.gridline.contracts.mqtt.CommandResult("c1", io.gridline.contracts.mqtt.CommandResult.Outcome.NOT_SUBSCRIBED,
            "no subscription"),
        new io.gridline.contracts.webhooks.DeliveryRequest(42L, "t1"),
        new io.gridline.contracts.webhooks.DeliveryOutcome(42L, "retrying", 3, -1, "connect timed out"));
    for (Record sample : samples) {
      assertEquals(sample, roundTrip(sample));
    }
  }

  @Test
  void everyContractRecordHasAnEventBusOrKafkaCodec() throws Exception {
    Path location = Path.of(Topics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path root = Files.isDirectory(location) ? location : FileSystems.newFileSystem(location).getPath("/");
    Set<String> records;
    try (Stream<Path> files = Files.walk(root)) {
      records = files.map(p -> root.relativize(p).toString())
          .filter(p -> p.endsWith(".class") && !p.contains("$"))
          .map(p -> p.substring(0, p.length() - 6).replace('/', '.'))
          .filter(name -> {
            try {
              return Class.forName(name).isRecord();
            } catch (ClassNotFoundException e) {
              throw new IllegalStateException(e);
            }
          })
          .collect(Collectors.toSet());
    }
    Set<String> covered = Codecs.recordTypes().stream().map(Class::getName).collect(Collectors.toSet());
    KafkaCodecs.all().forEach(c -> covered.add(c.type().getName()));
    assertTrue(records.size() >= 7, "found records: " + records);
    assertEquals(records, covered);
  }
}
