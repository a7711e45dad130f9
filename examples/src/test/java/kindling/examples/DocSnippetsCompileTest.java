package kindling.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block a student may copy compiles against the built classes: the {@code ```java}
 * blocks of README.md and docs/*.md, and the {@code <pre>} examples in the javadoc of core, nn and
 * examples. This module's test classpath holds all three modules' classes, so the test lives here.
 *
 * <p>A block is compiled as it stands, wrapped as needed:
 * <ul>
 *   <li>the imports every page assumes ({@link #IMPORTS}: Kindling's packages, {@code java.util},
 *       {@code java.io}, {@code java.nio.file}) come first, and a block's own imports are kept;</li>
 *   <li>top-level classes, records and interfaces stay top-level; statements go into a method
 *       ({@code throws Exception}); method declarations go into the wrapping class;</li>
 *   <li>a fragment may use the names a page uses for "your model", "your input" and so on without
 *       declaring them: {@link #CONTEXT} declares them as fields of the wrapping class.</li>
 * </ul>
 * A javadoc {@code <pre>} block counts as Java when one of its lines ends in {@code ;} and has a
 * call or an assignment (formulas, file layouts and shell commands do not). A block that cannot
 * compile on purpose is marked right before it with {@code <!-- not compiled: the reason -->}; the
 * test prints every such reason.
 */
class DocSnippetsCompileTest {
    /** The imports every snippet may assume. {@code Module} is named to beat {@code java.lang.Module}. */
    static final String IMPORTS = """
            import kindling.autograd.*;
            import kindling.data.*;
            import kindling.data.transforms.*;
            import kindling.data.text.*;
            import kindling.examples.charts.*;
            import kindling.examples.models.*;
            import kindling.generative.*;
            import kindling.io.*;
            import kindling.kernels.*;
            import kindling.nn.*;
            import kindling.nn.Module;
            import kindling.nn.functional.*;
            import kindling.nn.init.*;
            import kindling.ops.*;
            import kindling.optim.*;
            import kindling.tensor.*;
            import kindling.train.*;
            import java.io.*;
            import java.nio.file.*;
            import java.util.*;
            import static org.junit.jupiter.api.Assertions.*;
            """;

    /** The names fragments use for things the page has already made ("your model", "the pretrained base", "a batch"). */
    static final String CONTEXT = """
                Module model; Sequential net; Sequential lenet; Sequential base; Optimizer optimizer; LRScheduler scheduler;
                Tensor x; Tensor y; Tensor input; Tensor target; Tensor targets; Tensor logits; Tensor h0; Tensor c0;
                Tensor weight; Tensor w; Tensor a; Tensor b; Tensor loss; Tensor images; Tensor labels;
                float[] mean; float[] std; int[] lengths; List<Tensor> steps; String[] args;
                DataLoader train; DataLoader test; DataLoader trainLoader; DataLoader testLoader; Loss lossFunction; Dataset trainSet; Dataset testSet; ImageData data;
                Generator gen; int epochs; float lr; int batchSize;
            """;

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern FENCE = Pattern.compile("```java[^\\n]*\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern PRE = Pattern.compile("<pre>(.*?)</pre>", Pattern.DOTALL);
    private static final Pattern SKIP = Pattern.compile("<!--\\s*not compiled:\\s*(.*?)\\s*-->\\s*$", Pattern.DOTALL);
    private static final Pattern TYPE = Pattern.compile(
            "^(@\\w+\\s+)*((public|protected|private|static|final|abstract|sealed)\\s+)*(class|record|interface|enum)\\s+\\w+.*");
    private static final Pattern METHOD = Pattern.compile(
            "^(@\\w+\\s+)*((public|protected|private|static|final|abstract|synchronized)\\s+)*"
                    + "[\\w.<>\\[\\], ?]+\\s+\\w+\\([^;]*\\)\\s*(throws [\\w., ]+)?\\s*\\{.*");

    /** One block: where it is (file and first line), its text, and why it is skipped (null if not). */
    record Snippet(Path file, int line, String code, String skipReason, String packageName) {
        String origin() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    @Test
    void everyJavaBlockInTheDocsAndTheJavadocCompiles(@TempDir Path out) throws IOException {
        List<Snippet> snippets = new ArrayList<>(markdownSnippets());
        snippets.addAll(javadocSnippets());
        List<Snippet> compiled = new ArrayList<>();
        for (Snippet snippet : snippets) {
            if (snippet.skipReason() != null) {
                System.out.println("not compiled: " + snippet.origin() + ": " + snippet.skipReason());
            } else {
                compiled.add(snippet);
            }
        }
        assertTrue(compiled.size() > 40, "found only " + compiled.size() + " snippets: is " + ROOT + " the repository?");

        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < compiled.size(); i++) {
            units.add(Unit.of(compiled.get(i), i));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> options = List.of("-classpath", classpath, "-d", out.toString(), "-proc:none",
                "-Xlint:none", "-nowarn", "-Xmaxerrs", "100000", "--add-modules", "jdk.incubator.vector");
        javac.getTask(null, null, diagnostics, options, null, units).call();

        StringBuilder errors = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR || !(d.getSource() instanceof Unit unit)) {
                continue;
            }
            errors.append(unit.where(d.getLineNumber())).append(": ").append(d.getMessage(Locale.ROOT))
                    .append("\n    ").append(unit.lineAt(d.getLineNumber()).strip()).append('\n');
        }
        if (!errors.isEmpty()) {
            fail("Java blocks that do not compile (" + compiled.size() + " compiled in all):\n" + errors);
        }
    }

    @Test
    void formulasAndLayoutsAreNotTakenForJavaButAnnotatedCodeIs() {
        assertTrue(isJava("Tensor y = x.relu();"));
        assertTrue(isJava("optimizer.step();     // θ := update(θ, grad)"));
        assertTrue(!isJava("accuracy  = Σ_c m[c][c] / Σ_t Σ_p m[t][p]"));
        assertTrue(!isJava("the rest  the tensors' raw bytes, back to back;"));
        assertTrue(!isJava("mvn -q compile exec:java -Dexec.args=\"lenet\""));
        assertTrue(unjavadoc(" *   &#64;Override\n *   if (a &lt; b) {@link Foo}.run();").contains("@Override\n  if (a < b) Foo.run();"));
    }

    @Test
    void aSkipNeedsItsReasonRightBeforeTheBlock() {
        assertTrue("an excerpt".equals(skipReason("text\n<!-- not compiled: an excerpt -->\n")));
        assertTrue(skipReason("<!-- not compiled: an excerpt -->\nmore prose\n") == null);
        assertTrue(skipReason("<!-- a comment -->\n") == null);
    }

    /** The {@code ```java} blocks of README.md and docs/*.md. */
    static List<Snippet> markdownSnippets() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<Snippet> snippets = new ArrayList<>();
        for (Path page : pages) {
            String text = Files.readString(page);
            Matcher m = FENCE.matcher(text);
            while (m.find()) {
                int line = lineOf(text, m.start(1));
                snippets.add(new Snippet(page, line, m.group(1), skipReason(text.substring(0, m.start())), null));
            }
        }
        return snippets;
    }

    /** The {@code <pre>} blocks of the main javadoc of core, nn and examples that are Java. */
    static List<Snippet> javadocSnippets() throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        for (String module : List.of("core", "nn", "examples")) {
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            for (Path source : sources) {
                String text = Files.readString(source);
                Matcher declared = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(text);
                String packageName = declared.find() ? declared.group(1) : null;
                Matcher doc = JAVADOC.matcher(text);
                while (doc.find()) {
                    Matcher pre = PRE.matcher(text).region(doc.start(1), doc.end(1));
                    while (pre.find()) {
                        String code = unjavadoc(pre.group(1));
                        if (isJava(code)) {
                            String before = unjavadoc(text.substring(doc.start(1), pre.start()));
                            snippets.add(new Snippet(source, lineOf(text, pre.start(1)), code, skipReason(before),
                                    packageName));
                        }
                    }
                }
            }
        }
        return snippets;
    }

    /** The reason in a {@code <!-- not compiled: reason -->} that ends {@code before}, or null. */
    private static String skipReason(String before) {
        String trimmed = before.stripTrailing();
        int at = trimmed.lastIndexOf("<!--");
        if (at < 0 || !trimmed.endsWith("-->")) {
            return null;
        }
        Matcher m = SKIP.matcher(trimmed.substring(at));
        return m.find() ? m.group(1) : null;
    }

    /** A javadoc block's text as Java: no leading {@code *}, no {@code {@code }} wrapper, entities decoded. */
    static String unjavadoc(String block) {
        StringBuilder code = new StringBuilder();
        for (String line : block.split("\n", -1)) {
            code.append(line.replaceFirst("^\\s*\\* ?", "")).append('\n');
        }
        String text = code.toString();
        String stripped = text.strip();
        if (stripped.startsWith("{@code") && stripped.endsWith("}")) {
            text = text.replaceFirst("\\{@code", "");
            text = text.substring(0, text.lastIndexOf('}'));
        }
        return text.replaceAll("\\{@(?:link|linkplain|code|literal) ([^}]*)}", "$1")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&#64;", "@").replace("&amp;", "&");
    }

    /** Whether a line ends a statement with a call or an assignment: formulas and layouts do not. */
    static boolean isJava(String code) {
        for (String line : code.split("\n")) {
            String bare = line.replaceFirst("\\s*//.*$", "").stripTrailing();
            if (bare.endsWith(";") && (bare.contains("(") || bare.contains(" = "))) {
                return true;
            }
        }
        return false;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * A snippet made into a compilation unit: imports, top-level types, and a class holding the
     * context fields, the snippet's methods and a method with its statements. It remembers which of
     * its lines came from which line of the snippet, so that errors point into the page.
     */
    static final class Unit extends SimpleJavaFileObject {
        private final Snippet snippet;
        private final List<String> lines = new ArrayList<>();
        private final List<Integer> origins = new ArrayList<>();   // snippet line index, or -1

        private Unit(Snippet snippet, int index) {
            super(URI.create("string:///snippet" + index + "/Snippet" + index + ".java"), Kind.SOURCE);
            this.snippet = snippet;
        }

        static Unit of(Snippet snippet, int index) {
            Unit unit = new Unit(snippet, index);
            String[] code = snippet.code().stripTrailing().split("\n", -1);
            int indent = Integer.MAX_VALUE;
            for (String line : code) {
                if (!line.isBlank()) {
                    indent = Math.min(indent, line.length() - line.stripLeading().length());
                }
            }
            List<Integer> imports = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            List<Integer> members = new ArrayList<>();
            List<Integer> statements = new ArrayList<>();
            List<Integer> target = statements;
            String packageName = snippet.packageName() == null ? "snippet" + index : snippet.packageName();
            List<Integer> declarations = new ArrayList<>();  // top-level type declarations: lose "public"
            List<Integer> annotations = new ArrayList<>();   // go with the declaration that follows them
            int depth = 0;
            for (int i = 0; i < code.length; i++) {
                String line = code[i].isBlank() ? "" : code[i].substring(indent);
                if (depth == 0) {
                    if (line.startsWith("package ")) {        // a whole file, as a page shows it
                        packageName = line.substring("package ".length(), line.indexOf(';')).strip();
                        continue;
                    }
                    if (line.startsWith("import ")) {
                        imports.add(i);
                        continue;
                    }
                    if (line.startsWith("@") && !line.contains("(") && !line.contains(" ")) {
                        annotations.add(i);
                        continue;
                    }
                    if (TYPE.matcher(line).matches()) {
                        target = types;
                        declarations.add(i);
                    } else if (METHOD.matcher(line).matches() && !line.startsWith("return ")
                            && !line.startsWith("new ") && !line.contains(" = ")) {
                        target = members;
                    } else if (!line.isEmpty() && !line.startsWith("//")) {
                        target = statements;
                    }
                    target.addAll(annotations);
                    annotations.clear();
                }
                target.add(i);
                depth += braces(line);
            }
            // A page's snippet gets a package of its own; a javadoc example sits in its class's package,
            // as its reader does, and may use what is package-private there.
            unit.add("package " + packageName + ";", -1);
            unit.add(IMPORTS, -1);
            for (int i : imports) {
                unit.add(code[i], i);
            }
            for (int i : types) {
                unit.add(declarations.contains(i) ? code[i].replaceFirst("^(\\s*)public ", "$1") : code[i], i);
            }
            unit.add("class Snippet" + index + " {", -1);
            unit.add(CONTEXT, -1);
            for (int i : members) {
                unit.add(code[i], i);
            }
            unit.add("void run() throws Exception {", -1);
            for (int i : statements) {
                unit.add(code[i], i);
            }
            unit.add("}}", -1);
            return unit;
        }

        /** How {@code line} changes the brace depth, not counting braces in strings and chars. */
        private static int braces(String line) {
            int change = 0;
            boolean inString = false;
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        inString = false;
                    }
                } else if (c == '"' || c == '\'') {
                    inString = true;
                    quote = c;
                } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                    break;
                } else if (c == '{') {
                    change++;
                } else if (c == '}') {
                    change--;
                }
            }
            return change;
        }

        private void add(String text, int origin) {
            for (String line : text.split("\n", -1)) {
                lines.add(line);
                origins.add(origin);
            }
        }

        /** The page and line a javac line number points at. */
        String where(long line) {
            int at = (int) line - 1;
            int origin = at >= 0 && at < origins.size() ? origins.get(at) : -1;
            return snippet.origin() + (origin < 0 ? " (in the wrapping)" : " line " + (snippet.line() + origin));
        }

        String lineAt(long line) {
            int at = (int) line - 1;
            return at >= 0 && at < lines.size() ? lines.get(at) : "";
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return String.join("\n", lines);
        }
    }
}
