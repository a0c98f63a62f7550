package io.gridline.api.http;

import static io.vertx.core.http.HttpMethod.GET;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;

/** The hand-written OpenAPI 3 description of the routes, served at {@code /api/v1/openapi.json}. */
public final class OpenApiDocument {
  static final String RESOURCE = "/io/gridline/api/openapi.json";
  private final Buffer document;

  private OpenApiDocument(Buffer document) {
    this.document = document;
  }

  /** Reads the document off the classpath on a worker thread (a jar read may block). */
  public static Future<OpenApiDocument> load(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IOException(RESOURCE + " is missing from the classpath");
        }
        return new OpenApiDocument(Buffer.buffer(in.readAllBytes()));
      }
    });
  }

  public void mount(Endpoints endpoints) {
    endpoints.add(GET, "/api/v1/openapi.json", Access.ANYONE,
        ctx -> ctx.response().putHeader("Content-Type", "application/json").end(document));
  }
}
