package org.attnbench.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptClassTest {
    static final String SOURCE = """
            class Net(Module):
              __parameters__ = ["weight", ]
              __buffers__ = []
              training : bool
              weight : Tensor
              layers : __torch__.torch.nn.modules.container.___torch_mangle_7.Sequential
              def forward(self: __torch__.a.b.Net,
                x: Tensor) -> Tensor:
                y = torch.add(x, self.weight)
                return y
            class Other(Module):
              training : bool
              def forward(self: __torch__.a.b.Other) -> int:
                return 1
            """;

    @Test
    void classesAreReadWithTheirAttributesMethodsAndQualifiedNames() {
        List<ScriptClass> classes = ScriptClass.parse("root/code/__torch__/a/b.py", SOURCE);
        assertEquals(2, classes.size());
        ScriptClass net = classes.get(0);
        assertEquals("__torch__.a.b.Net", net.qualifiedName());
        assertEquals("Net", net.name());
        assertEquals(Map.of("training", "bool", "weight", "Tensor",
                "layers", "__torch__.torch.nn.modules.container.___torch_mangle_7.Sequential"), net.attributes());
        assertEquals(List.of("forward"), net.methods());
        assertEquals("__torch__.Top", ScriptClass.parse("r/code/__torch__.py", "class Top(Module):\n  x : int\n").get(0).qualifiedName());
    }

    @Test
    void methodsGoAtTheEndOfTheirClassBody() {
        ScriptClass net = ScriptClass.parse("root/code/__torch__/a/b.py", SOURCE).get(0);
        String edited = net.insert(SOURCE, "  def extra(self: __torch__.a.b.Net) -> Tensor:\n    return self.weight\n");
        List<ScriptClass> again = ScriptClass.parse("root/code/__torch__/a/b.py", edited);
        assertEquals(List.of("forward", "extra"), again.get(0).methods());
        assertEquals(List.of("forward"), again.get(1).methods());
        String[] lines = edited.split("\\n");
        assertEquals("    return y", lines[9]);
        assertEquals("  def extra(self: __torch__.a.b.Net) -> Tensor:", lines[10]);
        assertEquals("class Other(Module):", lines[12]);
    }
}
