package org.attnbench.backend.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One ONNX backend test case: a folder with model.onnx and test_data_set_N/{input,output}_K.pb. */
public record ConformanceCase(String name, Path dir) {
    public Path model() {
        return dir.resolve("model.onnx");
    }

    public List<Path> dataSets() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("test_data_set_") && Files.isDirectory(p))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Every case folder below {@code root}, sorted by name. */
    public static List<ConformanceCase> discover(Path root) {
        List<ConformanceCase> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.getFileName().toString().equals("model.onnx"))
                    .map(Path::getParent)
                    .sorted()
                    .forEach(d -> out.add(new ConformanceCase(d.getFileName().toString(), d)));
        } catch (IOException e) {
            throw new org.attnbench.core.UserError("cannot list conformance cases under " + root + ": " + e.getMessage());
        }
        return out;
    }
}
