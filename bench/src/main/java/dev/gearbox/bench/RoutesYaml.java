package dev.gearbox.bench;

/**
 * Prints a routes.yaml of {@code N - 1} routes of the kinds operators write ({@link RoutingBenchmark}'s
 * typical set), none of which matches the load scripts' request, then a default: the rule set for the
 * "with 200 routes" load run ({@code ROUTES=200 bench/run-load.sh}).
 *
 * <p>{@code java -cp benchmarks.jar dev.gearbox.bench.RoutesYaml 200}
 */
public final class RoutesYaml {

    private RoutesYaml() {
    }

    public static void main(String[] args) {
        int count = args.length == 0 ? 200 : Integer.parseInt(args[0]);
        if (count < 1) {
            throw new IllegalArgumentException("routes: " + count + " (expected: >= 1)");
        }
        System.out.print(RoutingBenchmark.routes(count));
    }
}
