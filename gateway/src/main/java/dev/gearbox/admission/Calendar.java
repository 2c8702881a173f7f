package dev.gearbox.admission;

import dev.gearbox.state.Window;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** The minute, day and month of now in the configured zone, as the store counts them. */
final class Calendar {

    private final Clock clock;
    private final ZoneId zone;
    /** The window of the last call: days change rarely, so most calls only change the time. */
    private volatile Window last;

    Calendar(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    Window now() {
        long ms = clock.millis();
        long minute = ms / 60_000;
        Window w = last;
        if (w != null && w.minute() == minute) {
            return new Window(ms, minute, w.day(), w.month(), w.dayEndMs(), w.monthEndMs());
        }
        ZonedDateTime t = Instant.ofEpochMilli(ms).atZone(zone);
        LocalDate day = t.toLocalDate();
        YearMonth month = YearMonth.from(day);
        w = new Window(ms, minute, day.toString(), month.toString(),
                day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli(),
                month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant().toEpochMilli());
        last = w;
        return w;
    }

    String day(long ms) {
        return Instant.ofEpochMilli(ms).atZone(zone).toLocalDate().toString();
    }

    ZoneId zone() {
        return zone;
    }
}
