package dev.gearbox.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    @Test
    void aQuietDeploymentMayRetryFromItsReserve() {
        RetryBudget budget = new RetryBudget(0.2, 3);

        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();
    }

    @Test
    void inAnOutageRetriesStayNearTheRatioOfRequests() {
        RetryBudget budget = new RetryBudget(0.2, 10);
        int retries = 0;
        for (int i = 0; i < 1000; i++) {
            budget.onRequest();
            if (budget.tryRetry()) {
                retries++;
            }
        }

        assertThat(retries).isBetween(200, 210);
    }
}
