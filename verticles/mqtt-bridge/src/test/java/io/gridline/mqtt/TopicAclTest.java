package io.gridline.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicAclTest {
  private static final String ID = "f2-aabbccddee01";

  @Test
  void clientIdsNameMacs() {
    assertEquals(Optional.of("aa:bb:cc:dd:ee:01"), ClientIds.mac(ID));
    assertEquals(ID, ClientIds.of("aa:bb:cc:dd:ee:01"));
    assertEquals(Optional.empty(), ClientIds.mac("f2-AABBCCDDEE01"));
    assertEquals(Optional.empty(), ClientIds.mac("f2-aabbccddee0"));
    assertEquals(Optional.empty(), ClientIds.mac("sensor"));
    assertEquals(Optional.empty(), ClientIds.mac(null));
  }

  @Test
  void publishOnlyUnderOwnStatAndTele() {
    assertTrue(TopicAcl.mayPublish(ID, "stat/" + ID + "/sensor-mode/1/sensor-1"));
    assertTrue(TopicAcl.mayPublish(ID, "tele/" + ID + "/LWT"));
    assertFalse(TopicAcl.mayPublish(ID, "stat/" + ID + "/"));
    assertFalse(TopicAcl.mayPublish(ID, "stat/" + ID));
    assertFalse(TopicAcl.mayPublish(ID, "stat/f2-aabbccddee02/x"));
    assertFalse(TopicAcl.mayPublish(ID, "cmnd/" + ID + "/x"));
    assertFalse(TopicAcl.mayPublish(ID, "stat/" + ID + "0/x"));
    assertFalse(TopicAcl.mayPublish(ID, "tele/" + ID + "/+"));
  }

  @Test
  void subscribeOnlyUnderOwnCommands() {
    assertTrue(TopicAcl.maySubscribe(ID, "cmnd/" + ID + "/#"));
    assertTrue(TopicAcl.maySubscribe(ID, "cmnd/" + ID + "/power"));
    assertTrue(TopicAcl.maySubscribe(ID, "cmnd/" + ID + "/+/x"));
    assertFalse(TopicAcl.maySubscribe(ID, "cmnd/#"));
    assertFalse(TopicAcl.maySubscribe(ID, "cmnd/+/power"));
    assertFalse(TopicAcl.maySubscribe(ID, "#"));
    assertFalse(TopicAcl.maySubscribe(ID, "cmnd/" + ID + "/#/x"));
    assertFalse(TopicAcl.maySubscribe(ID, "cmnd/" + ID + "/a#"));
    assertFalse(TopicAcl.maySubscribe(ID, "stat/" + ID + "/#"));
  }

  @Test
  void filtersMatchTopicsTheMqttWay() {
    String root = "cmnd/" + ID;
    assertTrue(TopicAcl.matches(root + "/#", root + "/power"));
    assertTrue(TopicAcl.matches(root + "/#", root + "/relay/1"));
    assertTrue(TopicAcl.matches(root + "/+", root + "/power"));
    assertFalse(TopicAcl.matches(root + "/+", root + "/relay/1"));
    assertTrue(TopicAcl.matches(root + "/relay/+", root + "/relay/1"));
    assertTrue(TopicAcl.matches(root + "/power", root + "/power"));
    assertFalse(TopicAcl.matches(root + "/power", root + "/power/x"));
    assertFalse(TopicAcl.matches(root + "/power/x", root + "/power"));
    assertFalse(TopicAcl.matches(root + "/relay/+", root + "/power"));
  }
}
