package org.attnbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** A cell's kernel and parameters are values in code and keep the JSON spelling other tools read. */
class CellInfoJsonTest {
    private static CellInfo cell(String variant, String kernel) {
        return new CellInfo("id", "onnxruntime", "cpu", "float32", WorkloadKind.DENOISING, "sd15", "64x64", 512, 4096, 0, 0, 1, 2,
                variant, variant.split(":")[0], kernel, null);
    }

    @Test
    void kernelIsStoredAsOneWordAndReadAsARecord() {
        CellInfo sliced = cell("dense:slice=512", "slice=512");
        assertEquals(new Kernel("matmul", 512), sliced.kernel());
        JsonObject json = StoreJson.COMPACT.toJsonTree(sliced).getAsJsonObject();
        assertEquals("slice=512", json.get("kernel").getAsString());
        assertEquals(sliced, StoreJson.COMPACT.fromJson(json, CellInfo.class));
        assertEquals(Kernel.NONE, cell("-", "-").kernel());
    }

    @Test
    void parametersAreReadAsNumbers() {
        CellInfo todo = cell("todo:factor=3,method=nearest-exact,switch=0.0,kernel=fused", "fused");
        assertEquals(OptionalDouble.of(3), todo.number("factor"));
        assertEquals(OptionalDouble.of(0), todo.number("switch"));
        assertEquals(OptionalDouble.empty(), todo.number("method"), "not a number");
        assertEquals(OptionalDouble.empty(), todo.number("ratio"), "not a parameter of ToDo");
        assertTrue(cell("-", "-").params().isEmpty(), "a ceiling has none");
    }

    @Test
    void rowsWrittenBeforeParametersWereStoredTakeThemFromTheSpec() {
        JsonObject json = StoreJson.COMPACT.toJsonTree(cell("tome:ratio=0.5,kernel=fused", "fused")).getAsJsonObject();
        assertEquals(Map.of("ratio", "0.5", "kernel", "fused"), StoreJson.COMPACT.fromJson(json, CellInfo.class).params());
        json.remove("params");
        assertEquals(OptionalDouble.of(0.5), StoreJson.COMPACT.fromJson(json, CellInfo.class).number("ratio"));
    }

    @Test
    void aKernelWordThatIsNotOneIsRefusedByName() {
        JsonObject json = StoreJson.COMPACT.toJsonTree(cell("dense", "matmul")).getAsJsonObject();
        json.addProperty("kernel", "slice=many");
        JsonParseException e = assertThrows(JsonParseException.class, () -> StoreJson.COMPACT.fromJson(json, CellInfo.class));
        assertTrue(e.getMessage().contains("slice=many"), e.getMessage());
    }
}
