package dev.gearbox.cost;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Dollar amounts as people read them in messages and notes: cents from a dollar up, four significant digits
 * below, never fewer than two decimals, so a budget of $0.0000001 does not print as $0.000000 and $12.5
 * prints as $12.50.
 */
public final class Dollars {

    private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_UP);

    private Dollars() {
    }

    /** {@code $0.0002}, {@code $0.0000001}, {@code $0.004915}, {@code $0.50}, {@code $12.50}, {@code $0}. */
    public static String format(double usd) {
        if (usd == 0 || !Double.isFinite(usd)) {
            return usd == 0 ? "$0" : "$" + usd;
        }
        BigDecimal exact = new BigDecimal(usd);
        BigDecimal rounded = Math.abs(usd) >= 1 ? exact.setScale(2, RoundingMode.HALF_UP)
                : exact.round(FOUR_DIGITS).stripTrailingZeros();
        if (rounded.scale() < 2) {
            rounded = rounded.setScale(2, RoundingMode.UNNECESSARY);
        }
        return (rounded.signum() < 0 ? "-$" : "$") + rounded.abs().toPlainString();
    }
}
