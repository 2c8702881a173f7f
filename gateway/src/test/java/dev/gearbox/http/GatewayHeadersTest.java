package dev.gearbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GatewayHeadersTest {

    @Test
    void dollarsPrintAsTheirTwelveSignificantDigitsWithoutBinaryNoise() {
        assertThat(GatewayHeaders.usd(0)).isEqualTo("0");
        assertThat(GatewayHeaders.usd(0.00045)).isEqualTo("0.00045");
        assertThat(GatewayHeaders.usd(0.000035249999999999996)).isEqualTo("0.00003525");
        assertThat(GatewayHeaders.usd(2.0)).isEqualTo("2");
        assertThat(GatewayHeaders.usd(1200.0)).isEqualTo("1200");
        assertThat(GatewayHeaders.usd(0.141)).isEqualTo("0.141");
        assertThat(GatewayHeaders.usd(12_345_678.5)).isEqualTo("12345678.5");
        assertThat(GatewayHeaders.usd(1e-11)).isEqualTo("0.00000000001");
        assertThat(GatewayHeaders.usd(0.1)).isEqualTo("0.1");
        assertThat(GatewayHeaders.usd(999_999_999_999.7)).isEqualTo("1000000000000");
        assertThat(GatewayHeaders.usd(0.99999999999951)).isEqualTo("1");
        assertThat(GatewayHeaders.usd(1e-12)).isEqualTo("0.000000000001");
    }

    @Test
    void theShortcutPrintsWhatRoundingTheDecimalWould() {
        SplittableRandom random = new SplittableRandom(18);
        for (int n = 0; n < 100_000; n++) {
            // Prices are sums of tokens times list prices per million: short decimals, some with noise.
            double usd = switch (n % 4) {
                case 0 -> random.nextInt(1, 100_000) * (random.nextInt(1, 2_000) / 100.0) / 1_000_000;
                case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(-6, 8));
                case 2 -> Math.round(random.nextDouble() * 1e6) / Math.pow(10, random.nextInt(0, 10));
                default -> Math.pow(10, random.nextInt(-12, 12)) * (random.nextBoolean() ? 1 : 1 + random.nextInt(-3, 4) * 1e-13);
            };
            String expected = usd == 0 ? "0"
                    : BigDecimal.valueOf(usd).round(new MathContext(12)).stripTrailingZeros().toPlainString();
            assertThat(GatewayHeaders.usd(usd)).as("usd(%s)", usd).isEqualTo(expected);
        }
    }
}
