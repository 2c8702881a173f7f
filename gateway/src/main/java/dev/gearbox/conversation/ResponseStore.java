package dev.gearbox.conversation;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Where the gateway keeps the responses it produced, per tenant, so a later request can continue one
 * ({@code previous_response_id}) whichever model answered it. Asynchronous so that a store shared by
 * replicas (Redis) can stand in for the in-process one ({@link InMemoryResponseStore}) without changing
 * its callers.
 */
public interface ResponseStore {

    /** Keeps {@code response} for {@code tenant}; a bounded store may drop older responses to make room. */
    Future<Void> put(String tenant, StoredResponse response);

    /** The tenant's response {@code id}; empty when unknown, expired, deleted, or another tenant's. */
    Future<Optional<StoredResponse>> get(String tenant, String id);

    /**
     * Succeeds when the store can be written now, as far as it knows: checked before a request whose answer
     * is to be stored, so that a store that must not be skipped refuses before the call rather than after.
     */
    default Future<Void> ready() {
        return Future.succeededFuture();
    }

    /** Forgets the tenant's response {@code id}; false when there was none to forget. */
    Future<Boolean> delete(String tenant, String id);
}
