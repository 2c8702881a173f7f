package dev.gearbox.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's pages, scripts and styles, read from the jar once at start, so serving one never touches the
 * disk on an event loop and the console works with no network at all. Only the files listed here are served.
 */
final class Assets {

    /** The pages, each at {@code /console/<name>}. */
    static final List<String> PAGES = List.of("login", "overview", "routes", "playground", "what-if", "keys");
    private static final List<String> FILES = List.of("assets/console.css", "assets/console.js", "assets/login.js",
            "assets/overview.js", "assets/routes.js", "assets/playground.js", "assets/what-if.js", "assets/keys.js",
            "vendor/uPlot.iife.min.js", "vendor/uPlot.min.css", "vendor/uPlot.LICENSE");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "LICENSE", "text/plain; charset=utf-8");

    private record Asset(Buffer body, String type) {
    }

    private final Map<String, Asset> byPath;

    private Assets(Map<String, Asset> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    /** Reads every file from the jar; blocks, so call it at start, off the event loops. */
    static Assets load() {
        Map<String, Asset> byPath = new HashMap<>();
        for (String page : PAGES) {
            byPath.put("/console/" + page, read(page + ".html"));
        }
        for (String file : FILES) {
            byPath.put("/console/" + file, read(file));
        }
        return new Assets(byPath);
    }

    /** Whether {@code path} is a file the console serves. */
    boolean has(String path) {
        return byPath.containsKey(path);
    }

    void serve(RoutingContext rc) {
        Asset asset = byPath.get(rc.request().path());
        if (asset == null) {
            rc.next();
            return;
        }
        // Revalidated on every load: a gateway upgrade changes them under the same names.
        rc.response().putHeader("content-type", asset.type()).putHeader("cache-control", "no-cache").end(asset.body());
    }

    private static Asset read(String file) {
        try (InputStream in = Assets.class.getResourceAsStream("/console/" + file)) {
            if (in == null) {
                throw new IllegalStateException("console file missing from the jar: " + file);
            }
            String extension = file.substring(file.lastIndexOf('.') + 1);
            return new Asset(Buffer.buffer(in.readAllBytes()), TYPES.get(extension));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
