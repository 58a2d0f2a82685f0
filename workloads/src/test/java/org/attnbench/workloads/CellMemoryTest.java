package org.attnbench.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.attnbench.backend.Device;
import org.attnbench.metrics.cost.MemoryEstimate;
import org.attnbench.methods.Variant;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.store.Machine;
import org.attnbench.tensor.DType;
import org.junit.jupiter.api.Test;

class CellMemoryTest {
    private static Cell tinyUNet() {
        ImageSize size = ImageSize.square(64);
        Point.Denoising point = new Point.Denoising(new Workload.Denoising("tiny", null, List.of(size), 2, "ddim", 7.5, null), size,
                size);
        String group = Cell.group("onnxruntime", Device.CPU, DType.FLOAT32, point);
        Variant dense = Variant.parse("dense");
        return new Cell(Cell.id(group, dense), group, "onnxruntime", Device.CPU, DType.FLOAT32, point, dense, null);
    }

    @Test
    void aCellsPromptEncodingIsCheckedApartNeverAddedToTheCell() {
        long host = (long) (Machine.current().memoryGb() * 1024 * 1024 * 1024);
        assumeTrue(host > 0, "the host's memory is unknown here");
        Cell cell = tinyUNet();
        CellMemory memory = new CellMemory();
        assertEquals(List.of(), memory.problems(List.of(cell)), "the tiny UNet fits");
        MemoryEstimate fillsTheHost = new MemoryEstimate(host - 1000, 1000, "last_hidden_state", 1000);
        assertEquals(List.of(), memory.problems(List.of(cell), c -> fillsTheHost),
                "encoding that fills the host alone fits: it never shares a process with the cell");
        MemoryEstimate tooBig = new MemoryEstimate(host, 1 << 30, "last_hidden_state", 1 << 30);
        List<String> problems = memory.problems(List.of(cell), c -> tooBig);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("encoding the prompts of " + cell.label() + " needs at least"), problems.get(0));
        assertTrue(problems.get(0).contains("lower max_sequence_length"), problems.get(0));
    }
}
