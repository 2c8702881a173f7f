package dev.gearbox.upstream;

import dev.gearbox.providers.ProviderException;
import dev.gearbox.resilience.Deployment;
import java.util.concurrent.TimeUnit;

/**
 * One request's hold on a model deployment: a bulkhead place for as long as it uses the model, and a
 * breaker permission per call, each settled exactly once (success, failure, or handed back unused).
 */
final class Lease {

    private enum State {
        /** A call holds a breaker permission that is not settled yet. */
        CALLING,
        /** The last call's permission is settled; the bulkhead place is still held. */
        SETTLED,
        /** Everything is handed back. */
        RELEASED
    }

    private final Deployment deployment;
    private State state = State.CALLING;

    private Lease(Deployment deployment) {
        this.deployment = deployment;
    }

    /** A lease, or null with {@code refusal} telling why not: {@code open} breaker or {@code busy} bulkhead. */
    static Lease tryAcquire(Deployment deployment, StringBuilder refusal) {
        if (!deployment.breaker().tryAcquirePermission()) {
            refusal.append("open");
            return null;
        }
        if (!deployment.bulkhead().tryAcquirePermission()) {
            deployment.breaker().releasePermission();
            refusal.append("busy");
            return null;
        }
        deployment.retries().onRequest();
        return new Lease(deployment);
    }

    Deployment deployment() {
        return deployment;
    }

    /** The call answered well. */
    void succeeded(long elapsedNanos) {
        if (state == State.CALLING) {
            state = State.SETTLED;
            deployment.breaker().onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The call failed; it counts against the model only when the failure says so. */
    void failed(long elapsedNanos, Failure failure) {
        if (state != State.CALLING) {
            return;
        }
        state = State.SETTLED;
        if (failure.countsAgainstModel()) {
            deployment.breaker().onError(elapsedNanos, TimeUnit.NANOSECONDS, new ProviderException(
                    ProviderException.Kind.PROTOCOL, deployment.model(), failure.code(), null));
        } else {
            deployment.breaker().releasePermission();
        }
    }

    /** Takes a retry from the budget and a new breaker permission; false when either is refused. */
    boolean retry() {
        if (state != State.SETTLED || !deployment.breaker().tryAcquirePermission()) {
            return false;
        }
        if (!deployment.retries().tryRetry()) {
            deployment.breaker().releasePermission();
            return false;
        }
        state = State.CALLING;
        return true;
    }

    /** Hands everything back; harmless when already done. */
    void release() {
        if (state == State.RELEASED) {
            return;
        }
        if (state == State.CALLING) {
            deployment.breaker().releasePermission();
        }
        state = State.RELEASED;
        deployment.bulkhead().onComplete();
    }
}
