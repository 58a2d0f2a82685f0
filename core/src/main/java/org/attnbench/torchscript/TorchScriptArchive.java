package org.attnbench.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.attnbench.core.UserError;

/**
 * A TorchScript archive ({@code torch.jit.save}) read as what it is on disk: a zip holding, under
 * one root folder, the pickled module object ({@code data.pkl}), the tensors' raw storages
 * ({@code data/N}) and the module's classes as TorchScript source ({@code code/**.py}).
 *
 * <p>attnbench never reads the pickle. It reads the source, which names every class's submodules,
 * parameters and buffers, and can add methods to a class ({@link #withMethods}): libtorch then
 * loads the archive as it is, pickle and storages untouched, and runs the added methods, e.g. one
 * that returns the tensors a graph needs by their attribute paths.
 */
public final class TorchScriptArchive {
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final Path path;
    private final String root;
    private final Map<String, byte[]> entries;

    private TorchScriptArchive(Path path, String root, Map<String, byte[]> entries) {
        this.path = path;
        this.root = root;
        this.entries = entries;
    }

    /** Whether the file starts as a zip archive does (TorchScript and torch.save files both do). */
    public static boolean isZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return java.util.Arrays.equals(head, ZIP_MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads the archive; a zip without TorchScript code (e.g. a torch.save checkpoint) is refused in one line. */
    public static TorchScriptArchive read(Path file) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        // ZipFile reads the central directory: PyTorch stores entries uncompressed with data
        // descriptors, which ZipInputStream refuses.
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (e.isDirectory()) continue;
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (NoSuchFileException e) {
            throw new UserError("no such file: " + file);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + " as a zip archive: " + e.getMessage(), e);
        }
        String root = entries.keySet().stream().filter(n -> n.endsWith("data.pkl") && n.indexOf('/') == n.lastIndexOf('/'))
                .map(n -> n.substring(0, n.length() - "data.pkl".length())).findFirst().orElse(null);
        if (root == null) throw new UserError(file + " is a zip archive but not a PyTorch file (no data.pkl)");
        String code = root + "code/";
        if (entries.keySet().stream().noneMatch(n -> n.startsWith(code) && n.endsWith(".py"))) {
            throw new UserError(file + " is a PyTorch checkpoint (torch.save), not TorchScript (torch.jit.save): it holds no code");
        }
        return new TorchScriptArchive(file, root, entries);
    }

    public Path path() { return path; }

    /** Every top-level class of the archive's source, in file order. */
    public List<ScriptClass> classes() {
        List<ScriptClass> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (e.getKey().startsWith(root + "code/") && e.getKey().endsWith(".py")) {
                out.addAll(ScriptClass.parse(e.getKey(), new String(e.getValue(), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    /**
     * The archive's bytes with {@code methods} (TorchScript source, each line indented as a class
     * body is, two spaces) appended to the body of {@code target}. The file's debug map, which
     * points into the old text, is left out: libtorch loads archives without one.
     */
    public byte[] withMethods(ScriptClass target, String methods) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                String name = e.getKey();
                if (name.equals(target.file() + ".debug_pkl")) continue;
                byte[] data = name.equals(target.file())
                        ? target.insert(new String(e.getValue(), StandardCharsets.UTF_8), methods).getBytes(StandardCharsets.UTF_8)
                        : e.getValue();
                store(zip, name, data);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Entries stored uncompressed, as PyTorch writes its own archives. */
    public static void store(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
