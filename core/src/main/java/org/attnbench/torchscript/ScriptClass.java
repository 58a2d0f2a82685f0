package org.attnbench.torchscript;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One class of a TorchScript archive's source, as {@code torch.jit.save} writes it:
 *
 * <pre>
 * class InceptionV3(Module):
 *   __parameters__ = []
 *   __buffers__ = []
 *   training : bool
 *   layers : __torch__.torch.nn.modules.container.Sequential
 *   def forward(self: __torch__.InceptionV3,
 *     ...
 * </pre>
 *
 * @param file the archive entry holding it
 * @param qualifiedName its TorchScript type, e.g. {@code __torch__.InceptionV3} (the file's module path and the name)
 * @param attributes declared attributes (submodules, parameters, buffers, plain values) and their types, in order
 * @param methods the names of its methods
 */
public record ScriptClass(String file, String qualifiedName, Map<String, String> attributes, List<String> methods) {

    /** Its name without the module path. */
    public String name() {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }

    /** The classes of one source file ({@code ROOT/code/__torch__/a/b.py} holds module {@code __torch__.a.b}). */
    static List<ScriptClass> parse(String file, String text) {
        String module = modulePath(file);
        List<ScriptClass> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("class ")) continue;
            String header = lines[i].substring("class ".length());
            int paren = header.indexOf('(');
            String name = (paren < 0 ? header.substring(0, header.indexOf(':')) : header.substring(0, paren)).trim();
            Map<String, String> attributes = new LinkedHashMap<>();
            List<String> methods = new ArrayList<>();
            for (int j = i + 1; j < lines.length && (lines[j].isEmpty() || lines[j].startsWith(" ")); j++) {
                String line = lines[j];
                if (line.startsWith("  def ")) {
                    String rest = line.substring("  def ".length());
                    methods.add(rest.substring(0, rest.indexOf('(')).trim());
                } else if (line.startsWith("  ") && !line.startsWith("   ") && line.contains(" : ")) {
                    int colon = line.indexOf(" : ");
                    attributes.put(line.substring(2, colon).trim(), line.substring(colon + 3).trim());
                }
            }
            out.add(new ScriptClass(file, module + "." + name, attributes, methods));
        }
        return out;
    }

    /** {@code ROOT/code/__torch__/torch/nn/modules/linear.py} is module {@code __torch__.torch.nn.modules.linear}. */
    static String modulePath(String file) {
        int code = file.indexOf("/code/");
        String rel = file.substring(code + "/code/".length(), file.length() - ".py".length());
        return rel.replace('/', '.');
    }

    /** {@code text} (this class's file) with {@code methods} appended to this class's body. */
    String insert(String text, String methods) {
        String[] lines = text.split("\n", -1);
        int start = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("class " + name() + "(") || lines[i].startsWith("class " + name() + ":")) {
                start = i;
                break;
            }
        }
        if (start < 0) throw new IllegalStateException("class " + name() + " not found in " + file);
        int end = start + 1;
        while (end < lines.length && (lines[end].isEmpty() || lines[end].startsWith(" "))) end++;
        // Keep a trailing blank line where it was: insert before the blank lines that end the body.
        while (end > start + 1 && lines[end - 1].isEmpty()) end--;
        List<String> out = new ArrayList<>(List.of(lines).subList(0, end));
        out.addAll(List.of(methods.stripTrailing().split("\n")));
        out.addAll(List.of(lines).subList(end, lines.length));
        return String.join("\n", out);
    }
}
