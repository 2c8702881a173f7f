package dev.gearbox.admission;

import dev.gearbox.config.BudgetUsd;
import dev.gearbox.config.StateConfig;
import dev.gearbox.state.BudgetLevel;
import dev.gearbox.state.Limits;
import dev.gearbox.state.Period;
import dev.gearbox.state.Store;
import dev.gearbox.state.Window;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads each team's spend against its budgets from the store, for the budget meters. */
public final class BudgetWatch {

    private final ApiKeys keys;
    private final Store store;
    private final Calendar calendar;
    private final double softThreshold;

    private BudgetWatch(ApiKeys keys, StateConfig state) {
        this.keys = keys;
        this.store = keys.store();
        this.calendar = new Calendar(keys.clock(), state.zoneId());
        this.softThreshold = state.softThreshold();
    }

    public static BudgetWatch of(ApiKeys keys, StateConfig state) {
        return new BudgetWatch(keys, state);
    }

    /** Every budget of every team that has one. */
    public Future<List<BudgetLevel>> read() {
        Window window = calendar.now();
        List<Team> teams = keys.teams().stream().filter(t -> has(t.policy().budgetUsd())).toList();
        List<Future<Map<Period, Long>>> reads = new ArrayList<>(teams.size());
        teams.forEach(t -> reads.add(store.spent(t.id(), "team", window)));
        return Future.all(reads).map(all -> {
            List<BudgetLevel> levels = new ArrayList<>();
            for (int i = 0; i < teams.size(); i++) {
                Map<Period, Long> spent = all.resultAt(i);
                BudgetUsd budget = teams.get(i).policy().budgetUsd();
                for (Period period : Period.values()) {
                    Double usd = switch (period) {
                        case DAY -> budget.daily();
                        case MONTH -> budget.monthly();
                        case TOTAL -> budget.total();
                    };
                    if (usd != null) {
                        long limit = Limits.nanos(usd);
                        long used = spent.getOrDefault(period, 0L);
                        levels.add(new BudgetLevel(teams.get(i).id(), period, limit, used, used >= limit * softThreshold));
                    }
                }
            }
            return levels;
        });
    }

    private static boolean has(BudgetUsd b) {
        return b.daily() != null || b.monthly() != null || b.total() != null;
    }
}
