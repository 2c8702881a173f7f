package dev.gearbox.state;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A Lua script of a Redis store, from the jar, and its SHA-1: the name Redis keeps it under. */
public record LuaScript(String text, String sha) {

    static LuaScript load(String name) {
        return load(LuaScript.class, name);
    }

    /** The script {@code name} beside {@code owner} in the jar. */
    public static LuaScript load(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new LuaScript(text, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the script by its SHA-1, and whole once when Redis has forgotten it (a restart, a flush).
     */
    public Future<Response> run(Redis redis, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(e -> {
            if (String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
                return redis.send(request(Command.EVAL, text, keys, args));
            }
            return Future.failedFuture(e);
        });
    }

    /** {@code EVALSHA} (with {@link #sha}) or {@code EVAL} (with {@link #text}) of it over these keys and args. */
    Request request(Command command, String first, List<String> keys, List<String> args) {
        Request r = Request.cmd(command).arg(first).arg(keys.size());
        keys.forEach(r::arg);
        args.forEach(r::arg);
        return r;
    }
}
