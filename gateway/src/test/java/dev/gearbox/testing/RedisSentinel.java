package dev.gearbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A primary, its replica and three sentinels watching them (quorum two), all real {@code redis-server}
 * processes on loopback for one test class; a sentinel is {@code redis-server sentinel.conf --sentinel}, so
 * redis-server alone is needed. A primary that does not answer for a second is failed over to the replica.
 */
public final class RedisSentinel implements AutoCloseable {

    public static final String MASTER = "gearbox";

    private final RedisServer first;
    private final RedisServer second;
    private final List<RedisServer> sentinels;

    private RedisSentinel(RedisServer first, RedisServer second, List<RedisServer> sentinels) {
        this.first = first;
        this.second = second;
        this.sentinels = sentinels;
    }

    public static RedisSentinel start(Path dir) {
        List<RedisServer> started = new ArrayList<>();
        try {
            RedisServer primary = RedisServer.start(Files.createDirectories(dir.resolve("primary")));
            started.add(primary);
            RedisServer replica = RedisServer.start(Files.createDirectories(dir.resolve("replica")),
                    List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
            started.add(replica);
            Eventually.await(Duration.ofSeconds(20), "the replica in sync",
                    () -> replica.cli("INFO", "replication").contains("master_link_status:up"));
            List<RedisServer> sentinels = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path own = Files.createDirectories(dir.resolve("sentinel-" + i));
                Path conf = own.resolve("sentinel.conf");
                Files.writeString(conf, """
                        sentinel monitor %s 127.0.0.1 %d 2
                        sentinel down-after-milliseconds %s 1000
                        sentinel failover-timeout %s 5000
                        sentinel parallel-syncs %s 1
                        """.formatted(MASTER, primary.port(), MASTER, MASTER, MASTER));
                RedisServer sentinel = RedisServer.start(own, List.of(conf.toString(), "--sentinel"));
                started.add(sentinel);
                sentinels.add(sentinel);
            }
            RedisSentinel setup = new RedisSentinel(primary, replica, sentinels);
            Eventually.await(Duration.ofSeconds(20), "every sentinel knowing the replica and the other sentinels",
                    () -> sentinels.stream().allMatch(s -> {
                        String master = s.cli("SENTINEL", "MASTER", MASTER);
                        return master.contains("num-slaves\n1\n") && master.contains("num-other-sentinels\n2\n");
                    }));
            return setup;
        } catch (IOException e) {
            started.forEach(RedisServer::stop);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            started.forEach(RedisServer::stop);
            throw e;
        }
    }

    /** The gateway config that keeps its state in the primary the sentinels name. */
    public String stateConfig(String onUnavailable) {
        return """
                state:
                  redis: {sentinel: {master: %s, nodes: [%s]}, on_unavailable: %s}
                """.formatted(MASTER, String.join(", ", sentinels.stream().map(s -> "\"" + s.url() + "\"").toList()),
                onUnavailable);
    }

    /** The server the sentinels name as primary now. */
    public RedisServer primary() {
        String[] addr = sentinels.get(0).cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER).trim().split("\n");
        int port = Integer.parseInt(addr[1].trim());
        return first.port() == port ? first : second;
    }

    /** The other one. */
    public RedisServer replica() {
        return primary() == first ? second : first;
    }

    /** Waits until the sentinels have made {@code from}'s replica the primary, and it answers as one. */
    public RedisServer awaitFailover(RedisServer from) {
        RedisServer to = from == first ? second : first;
        Eventually.await(Duration.ofSeconds(30), "the sentinels promoting the replica",
                () -> sentinels.stream().allMatch(s -> s.cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER)
                        .contains("\n" + to.port() + "\n")) && to.cli("INFO", "replication").contains("role:master"));
        return to;
    }

    @Override
    public void close() {
        sentinels.forEach(RedisServer::stop);
        first.stop();
        second.stop();
    }
}
