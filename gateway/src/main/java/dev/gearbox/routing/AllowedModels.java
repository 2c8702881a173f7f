package dev.gearbox.routing;

import dev.gearbox.config.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The models a caller may be served by, from the {@code models} lists of its key and its team: every list
 * must allow a model. A list allows a model it names by id, by tier or by a fixed alias standing for it. A
 * routing alias such as {@code auto} in a list lets the caller ask for it but allows no model by itself, so
 * a key limited to {@code [cheap, auto]} is served by cheap models only, whatever the rules choose for
 * {@code auto}; a list naming nothing but routing aliases limits what may be asked for, not where the
 * rules send it.
 */
public final class AllowedModels {

    /** No list: every model. */
    public static final AllowedModels ANY = new AllowedModels(List.of());

    private final List<Named> lists;

    private AllowedModels(List<Named> lists) {
        this.lists = lists;
    }

    /**
     * @param who whose list it is, as a refusal or note names it ({@code key key_1}, {@code team 'research'})
     * @param models the list; empty allows everything
     */
    public static AllowedModels of(String who, List<String> models) {
        return ANY.and(who, models);
    }

    /** These models, and only those {@code who}'s list allows too. */
    public AllowedModels and(String who, List<String> models) {
        if (models.isEmpty()) {
            return this;
        }
        List<Named> out = new ArrayList<>(lists);
        out.add(new Named(Objects.requireNonNull(who, "who"), List.copyOf(models)));
        return new AllowedModels(List.copyOf(out));
    }

    /** Whether every list that limits models allows {@code model}. */
    public boolean permits(ModelConfig model, Catalog catalog) {
        for (Named list : lists) {
            if (list.limitsModels(catalog) && !list.allows(model, catalog)) {
                return false;
            }
        }
        return true;
    }

    /** Whether some list limits the models, so routing must check each candidate. */
    public boolean limits(Catalog catalog) {
        for (Named list : lists) {
            if (list.limitsModels(catalog)) {
                return true;
            }
        }
        return false;
    }

    /** Who limits {@code model} out, e.g. {@code key key_1 (allows [cheap, auto])}; null when it is allowed. */
    public String refusedBy(ModelConfig model, Catalog catalog) {
        for (Named list : lists) {
            if (list.limitsModels(catalog) && !list.allows(model, catalog)) {
                return list.who() + " (allows " + list.models() + ")";
            }
        }
        return null;
    }

    private record Named(String who, List<String> models) {

        /** Whether the list names anything but routing aliases: a model, a tier, a fixed alias, or an unknown name. */
        boolean limitsModels(Catalog catalog) {
            for (String name : models) {
                if (!catalog.routeAliases().contains(name) || catalog.tiers().contains(name)) {
                    return true;
                }
            }
            return false;
        }

        boolean allows(ModelConfig model, Catalog catalog) {
            for (String name : models) {
                if (name.equals(model.id()) || name.equals(model.tier())
                        || (!name.equals(catalog.resolveStaticAlias(name)) && catalog.resolveStaticAlias(name).equals(model.id()))) {
                    return true;
                }
            }
            return false;
        }
    }
}
