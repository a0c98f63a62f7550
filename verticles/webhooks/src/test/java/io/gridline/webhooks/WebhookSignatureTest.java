package io.gridline.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  @Test
  void knownAnswer() {
    // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
    String h = WebhookSignature.header(List.of("secret".getBytes(StandardCharsets.UTF_8)), 1_700_000_000L, "{\"a\":1}");
    assertEquals("sha256=" + OPENSSL, h);
  }

  private static final String OPENSSL = "49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686";
}
