package org.attnbench.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnbench.tensor.DType;
import org.junit.jupiter.api.function.Executable;

/** Assertions on inferred types and on build-time errors. */
final class ShapeAssert {
    private ShapeAssert() {}

    static void assertType(Value v, DType dtype, long... shape) {
        assertEquals(dtype, v.dtype(), v.toString());
        assertArrayEquals(shape, v.shape(), v.toString());
    }

    static void assertShape(Value v, long... shape) {
        assertArrayEquals(shape, v.shape(), v.toString());
    }

    /** The build fails with an IllegalArgumentException whose message contains {@code fragment}. */
    static void assertFails(String fragment, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
