package org.attnbench.harness.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.workloads.Workload;
import org.junit.jupiter.api.Test;

class ConfigOverridesTest {
    static final String BASE = """
            devices: [cuda]
            workloads:
              - unet: {model: tiny, resolutions: [128], steps: 50}
            variants: [dense]
            """;

    @Test
    void setsScalarsListsAndNestedKeys() {
        String text = ConfigOverrides.apply(BASE, List.of("devices=cpu", "workloads[0].unet.steps=3", "timing.iterations=2",
                "variants=[dense, \"todo:factor=2\"]"));
        assertTrue(text.startsWith("# with --set devices=cpu"), text);
        SweepConfig c = SweepConfigReader.parse(Path.of("t.yaml"), text, 1.0);
        assertEquals(List.of(Device.CPU), c.devices());
        assertEquals(3, ((Workload.Denoising) c.workloads().get(0)).steps());
        assertEquals(2, c.timing().iterations());
        assertEquals(2, c.variants().size());
    }

    @Test
    void noOverridesKeepTheTextAsItIs() {
        assertEquals(BASE, ConfigOverrides.apply(BASE, List.of()));
    }

    @Test
    void badOverridesAreOneLine() {
        assertTrue(assertThrows(UserError.class, () -> ConfigOverrides.apply(BASE, List.of("devices")))
                .getMessage().contains("is not PATH=VALUE"));
        assertTrue(assertThrows(UserError.class, () -> ConfigOverrides.apply(BASE, List.of("workloads[3].unet.steps=1")))
                .getMessage().contains("no item [3]"));
        assertTrue(assertThrows(UserError.class, () -> ConfigOverrides.apply(BASE, List.of("devices.x=1")))
                .getMessage().contains("no such place"));
    }
}
