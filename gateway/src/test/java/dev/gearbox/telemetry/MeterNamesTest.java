package dev.gearbox.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeterNamesTest {

    @Test
    void everyMeterNameHasADescription() throws IllegalAccessException {
        List<Field> names = Arrays.stream(MeterNames.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .filter(f -> !f.getName().startsWith("TAG_") && !f.getName().equals("USD")).toList();

        assertThat(names).hasSizeGreaterThan(15);
        for (Field name : names) {
            assertThat(MeterNames.description((String) name.get(null))).as(name.getName()).isNotBlank();
        }
    }
}
