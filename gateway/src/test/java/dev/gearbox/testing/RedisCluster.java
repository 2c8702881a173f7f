package dev.gearbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster on loopback for one test class: three primaries, each with a replica, made one cluster by
 * {@code redis-cli --cluster create} (redis-tools, which Debian's redis-server depends on). A node that loses
 * sight of another for a second calls it failed, so killing a primary promotes its replica within a few seconds;
 * a slot without a primary does not stop the others ({@code cluster-require-full-coverage no}).
 */
public final class RedisCluster implements AutoCloseable {

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    public static RedisCluster start(Path dir) {
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Path own = Files.createDirectories(dir.resolve("node-" + i));
                nodes.add(RedisServer.start(own, List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "1000", "--cluster-require-full-coverage", "no")));
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.create();
            return cluster;
        } catch (IOException e) {
            nodes.forEach(RedisServer::stop);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            nodes.forEach(RedisServer::stop);
            throw e;
        }
    }

    /** The first three as primaries, each of the last three a replica of one of them. */
    private void create() {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        for (RedisServer node : nodes) {
            command.add("127.0.0.1:" + node.port());
        }
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Eventually.await(Duration.ofSeconds(30), "every node seeing the cluster ok and every replica in sync", () ->
                nodes.stream().allMatch(n -> n.cli("CLUSTER", "INFO").contains("cluster_state:ok"))
                        && replicas().stream().allMatch(r -> r.cli("INFO", "replication").contains("master_link_status:up")));
    }

    /** The seed nodes a gateway is given: the primaries as created. */
    public List<String> seeds() {
        return nodes.subList(0, 3).stream().map(RedisServer::url).toList();
    }

    /** The gateway config that keeps its state in this cluster. */
    public String stateConfig(String onUnavailable) {
        return """
                state:
                  redis: {cluster: [%s], on_unavailable: %s}
                """.formatted(String.join(", ", seeds().stream().map(s -> "\"" + s + "\"").toList()), onUnavailable);
    }

    /** The slot a key is in, as the cluster computes it. */
    public int slot(String key) {
        return Integer.parseInt(nodes.get(0).cli("CLUSTER", "KEYSLOT", key).trim());
    }

    /** The running node that is now the primary of {@code slot}. */
    public RedisServer primaryOf(int slot) {
        for (RedisServer node : nodes) {
            if (!node.running()) {
                continue;
            }
            for (String line : node.cli("CLUSTER", "NODES").split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length < 9 || !f[2].contains("myself") || !f[2].contains("master")) {
                    continue;
                }
                for (int i = 8; i < f.length; i++) {
                    String[] range = f[i].split("-");
                    int from = Integer.parseInt(range[0]);
                    int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                    if (slot >= from && slot <= to) {
                        return node;
                    }
                }
            }
        }
        throw new IllegalStateException("no running primary serves slot " + slot);
    }

    /** The nodes that are replicas now. */
    public List<RedisServer> replicas() {
        return nodes.stream().filter(RedisServer::running).filter(n -> n.cli("INFO", "replication").contains("role:slave"))
                .toList();
    }

    public List<RedisServer> nodes() {
        return nodes;
    }

    /** Waits until a running node other than {@code dead} is the primary of {@code slot}, and the cluster is ok. */
    public RedisServer awaitPromotion(int slot, RedisServer dead) {
        RedisServer[] promoted = new RedisServer[1];
        Eventually.await(Duration.ofSeconds(30), "a replica promoted to primary of slot " + slot, () -> {
            try {
                promoted[0] = primaryOf(slot);
                return promoted[0] != dead && promoted[0].cli("CLUSTER", "INFO").contains("cluster_state:ok");
            } catch (IllegalStateException none) {
                return false;
            }
        });
        return promoted[0];
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::stop);
    }
}
