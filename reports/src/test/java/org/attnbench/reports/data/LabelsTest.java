package org.attnbench.reports.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void variantsReadShortAndDefaultsStayQuiet() {
        assertEquals("ToDo f=2", Labels.methodLabel("todo:factor=2,method=nearest-exact"));
        assertEquals("ToDo f=3 avg_pool [fused]", Labels.methodLabel("todo:factor=3,method=avg_pool,kernel=fused"));
        assertEquals("ToDo f=4 switch 0 [fused]", Labels.methodLabel("todo:factor=4,method=nearest-exact,switch=0.0,kernel=fused"));
        assertEquals("ToMe r=0.5", Labels.methodLabel("tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0"));
        assertEquals("ToMe r=0.75 3x3", Labels.methodLabel("tome:ratio=0.75,sx=3,sy=3"));
        assertEquals("dense [slice 1024]", Labels.methodLabel("dense:slice=1024"));
        assertEquals("sparse:k=4", Labels.methodLabel("sparse:k=4"), "a spec no method reads stays as written");
    }

    @Test
    void specsThatWouldReadAlikeKeepTheirFullSpec() {
        Map<String, String> m = Labels.variants(List.of("todo:factor=2,stop=0.1", "todo:factor=2,stop=0.05", "dense"));
        assertEquals("todo:factor=2,stop=0.1", m.get("todo:factor=2,stop=0.1"));
        assertEquals("dense [naive]", m.get("dense"));
    }

    @Test
    void numbersNeverReadZeroForNotMeasured() {
        assertEquals("–", Numbers.speedup(Double.NaN));
        assertEquals("1.85× [1.80, 1.91]", Numbers.speedup(1.85, 1.8, 1.91));
        assertEquals("6.247e-3", Numbers.sci(6.247e-3));
        assertEquals("12.3 ms", Numbers.ms(12.34));
        assertEquals("–", Numbers.mib(Double.NaN));
    }
}
