package io.gridline.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridline.codecs.CayenneLpp.Reading;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of the Cayenne LPP documentation (myDevices), decoded as it decodes them. */
class CayenneLppTest {
  private static List<Reading> lpp(String hex) {
    return CayenneLpp.decode(HexFormat.of().parseHex(hex));
  }

  @Test
  void twoTemperatureSensors() {
    assertEquals(List.of(new Reading(3, "temperature", 27.2, "°C"), new Reading(5, "temperature", 25.5, "°C")),
        lpp("03670110056700FF"));
  }

  @Test
  void aNegativeTemperature() {
    assertEquals(List.of(new Reading(1, "temperature", -4.1, "°C")), lpp("0167FFD7"));
  }

  @Test
  void anAccelerometer() {
    assertEquals(List.of(new Reading(6, "accelerometer-x", 1.234, "G"), new Reading(6, "accelerometer-y", -1.234, "G"),
        new Reading(6, "accelerometer-z", 0.0, "G")), lpp("067104D2FB2E0000"));
  }

  @Test
  void aGpsFix() {
    assertEquals(List.of(new Reading(1, "latitude", 42.3519, "°"), new Reading(1, "longitude", -87.9094, "°"),
        new Reading(1, "altitude", 10.0, "m")), lpp("018806765FF2960A0003E8"));
  }

  @Test
  void humidityBarometerIlluminanceAndDigitalValues() {
    assertEquals(List.of(new Reading(2, "humidity", 50.5, "%"), new Reading(4, "barometer", 1013.2, "hPa"),
            new Reading(7, "illuminance", 300, "lx"), new Reading(8, "digital-input", 1, "")),
        lpp("026865047327940765012C080001"));
  }

  @Test
  void anUnknownTypeOrACutItemIsRefused() {
    assertThrows(CayenneLpp.MalformedLpp.class, () -> lpp("01FE00"));
    assertThrows(CayenneLpp.MalformedLpp.class, () -> lpp("016701"));
    assertThrows(CayenneLpp.MalformedLpp.class, () -> lpp("01"));
  }
}
