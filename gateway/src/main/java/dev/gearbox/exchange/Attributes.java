package dev.gearbox.exchange;

/** Listeners' values on one exchange, by key index; the array is made only when one keeps something. */
final class Attributes {

    private Object[] values;

    @SuppressWarnings("unchecked")
    <T> T get(Attribute<T> key) {
        int i = key.index();
        return values == null || i >= values.length ? null : (T) values[i];
    }

    <T> void put(Attribute<T> key, T value) {
        int i = key.index();
        if (values == null || i >= values.length) {
            if (value == null) {
                return;
            }
            Object[] grown = new Object[Math.max(i + 1, 4)];
            if (values != null) {
                System.arraycopy(values, 0, grown, 0, values.length);
            }
            values = grown;
        }
        values[i] = value;
    }
}
