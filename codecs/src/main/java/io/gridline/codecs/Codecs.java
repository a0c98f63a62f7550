package io.gridline.codecs;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/** Registers a default codec for every contract record, once per Vert.x instance. */
public final class Codecs {
  private static final Set<EventBus> REGISTERED = Collections.newSetFromMap(new WeakHashMap<>());

  private Codecs() {}

  /** Idempotent: a second call on the same instance does nothing. */
  public static synchronized void registerAll(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    if (!REGISTERED.add(bus)) {
      return;
    }
    for (RecordCodec<?> codec : all()) {
      register(bus, codec);
    }
  }

  /** The record types that have a codec. */
  public static List<Class<?>> recordTypes() {
    List<Class<?>> types = new ArrayList<>();
    all().forEach(c -> types.add(c.type()));
    return types;
  }

  private static <T extends Record> void register(EventBus bus, RecordCodec<T> codec) {
    bus.registerDefaultCodec(codec.type(), codec);
  }

  static List<RecordCodec<?>> all() {
    List<RecordCodec<?>> all = new ArrayList<>(RegistryCodecs.all());
    all.addAll(NodeCodecs.all());
    all.addAll(MqttCodecs.all());
    all.addAll(WebhookCodecs.all());
    return all;
  }
}
