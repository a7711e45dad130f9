package kindling.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the examples on the classpath, a look-up that finds no Fashion-MNIST falls back to the
 * bundled subset and says why in the source that the examples print ("Data: ...").
 * (In the package of the look-up, which is package-private.)
 */
class BundledFallbackTest {
    @Test
    void theFallbackSaysWhereItLookedAndWhy(@TempDir Path empty) throws IOException {
        ImageData data = FashionMnist.FILES.lookUp(null, empty.resolve("user"), empty.resolve("system"), false);
        assertEquals("Fashion-MNIST (bundled subset)", data.name());
        String source = data.source();
        assertTrue(source.startsWith("the subset bundled with the examples (classpath:/kindling/datasets/fashion-mnist-subset/)"
                + ", as the full Fashion-MNIST was not found: looked in $KINDLING_DATA/fashion-mnist ($KINDLING_DATA is not set); "
                + empty.resolve("user/fashion-mnist") + " (no such directory); "), source);
        assertTrue(source.endsWith("a download (switched off by -Dkindling.download=false)"), source);
        assertEquals(6000, data.train().size());
    }
}
