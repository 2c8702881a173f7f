package dev.gearbox.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DollarsTest {

    @Test
    void tinyAmountsKeepTheirDigitsInsteadOfPrintingAsZero() {
        assertThat(Dollars.format(1e-7)).isEqualTo("$0.0000001");
        assertThat(Dollars.format(0.0002)).isEqualTo("$0.0002");
        assertThat(Dollars.format(0.00491520000001)).isEqualTo("$0.004915");
    }

    @Test
    void ordinaryAmountsReadAsMoney() {
        assertThat(Dollars.format(0)).isEqualTo("$0");
        assertThat(Dollars.format(0.5)).isEqualTo("$0.50");
        assertThat(Dollars.format(12.5)).isEqualTo("$12.50");
        assertThat(Dollars.format(24)).isEqualTo("$24.00");
        assertThat(Dollars.format(1234.5678)).isEqualTo("$1234.57");
    }
}
