package dev.gearbox.state;

/** The periods a spend budget covers. */
public enum Period {
    DAY("daily"), MONTH("monthly"), TOTAL("total");

    private final String wireName;

    Period(String wireName) {
        this.wireName = wireName;
    }

    /** As the config and the admin API name it. */
    public String wireName() {
        return wireName;
    }
}
