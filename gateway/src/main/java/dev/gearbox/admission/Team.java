package dev.gearbox.admission;

import dev.gearbox.config.Policy;
import java.util.Objects;

/**
 * A team (tenant) and the policy all of its keys are held to together.
 *
 * @param fromConfig whether it comes from the config file (and so cannot be changed through the admin API)
 */
public record Team(String id, Policy policy, boolean fromConfig) {

    public Team {
        Objects.requireNonNull(id, "id");
        policy = policy == null ? Policy.NONE : policy;
    }
}
