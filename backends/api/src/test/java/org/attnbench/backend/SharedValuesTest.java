package org.attnbench.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedValuesTest {
    @Test
    void firstUserCreatesLastUserCloses() {
        List<String> closed = new ArrayList<>();
        SharedValues<String, StringBuilder> values = new SharedValues<>(true, v -> closed.add(v.toString()));
        String key = new String("w");
        StringBuilder a = values.acquire(key, () -> new StringBuilder("one"));
        assertSame(a, values.acquire(key, () -> new StringBuilder("two")), "the second user gets the first value");
        values.acquire(new String("w"), () -> new StringBuilder("other")); // another object: another weight
        assertEquals(2, values.size());
        values.release(key);
        assertEquals(List.of(), closed);
        values.release(key);
        assertEquals(List.of("one"), closed);
        assertEquals(1, values.size());
    }
}
