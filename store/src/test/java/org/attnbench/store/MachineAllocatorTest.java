package org.attnbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineAllocatorTest {
    @Test
    void namesThePreloadedAllocatorElseGlibcWithItsTunables() {
        assertEquals("libtcmalloc_minimal.so.4 (LD_PRELOAD)",
                Machine.allocator(Map.of("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4:/x/libfoo.so")));
        assertEquals("glibc", Machine.allocator(Map.of("LD_PRELOAD", "/x/libfoo.so")));
        assertEquals("glibc (GLIBC_TUNABLES=glibc.malloc.hugetlb=1)",
                Machine.allocator(Map.of("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1")));
        assertEquals("glibc", Machine.allocator(Map.of()));
    }
}
