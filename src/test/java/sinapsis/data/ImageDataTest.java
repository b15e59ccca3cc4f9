package sinapsis.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.Limits;
import sinapsis.support.Eventually;
import sinapsis.support.FashionSample;
import sinapsis.support.LocalMirror;

class ImageDataTest {
    @TempDir
    Path dir;

    @Test
    void readsTheOfficialIdxLayoutGzippedOrNot() throws IOException {
        FashionSample.writeIdx(dir, 800);
        ImageSet set = FashionMnist.load(dir);
        int[][] rows = FashionSample.rows();
        assertThat(set.side()).isEqualTo(28);
        assertThat(set.size()).isEqualTo(FashionSample.IMAGES);
        assertThat(set.trainCount()).isEqualTo(800);
        assertThat(set.testCount()).isEqualTo(200);
        assertThat(set.labels()[0]).isEqualTo(rows[0][0]);
        assertThat(set.pixel(850, 400)).isEqualTo(rows[850][401]);

        // unzipped copies, as some people keep them, read the same
        Path plain = Files.createDirectories(dir.resolve("plain"));
        for (String name : FashionMnist.FILES) {
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(dir.resolve(name)))) {
                Files.write(plain.resolve(name.replace(".gz", "")), in.readAllBytes());
            }
        }
        assertThat(FashionMnist.load(plain).pixels()).isEqualTo(set.pixels());
    }

    @Test
    void aDamagedIdxFileIsRefusedWithItsName() throws IOException {
        FashionSample.writeIdx(dir, 800);
        Files.write(dir.resolve(FashionMnist.TEST_LABELS), new byte[] {0, 0, 8, 3, 0, 0, 0, 1});
        assertThatThrownBy(() -> FashionMnist.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(FashionMnist.TEST_LABELS).hasMessageContaining("magic number");
        Files.write(dir.resolve(FashionMnist.TEST_LABELS), new byte[] {0, 0, 8, 1, 0, 0, 0, 9, 1, 2});
        assertThatThrownBy(() -> FashionMnist.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("ends before");
    }

    @Test
    void theCsvImageLayoutIsRecognisedForAnySquareSize() {
        CsvTableParser parser = new CsvTableParser(Limits.defaults());
        assertThat(ImageLayout.side(parser.parse(FashionSample.csv(5)))).contains(28);
        assertThat(ImageLayout.side(parser.parse("label,pixel1,pixel2,pixel3,pixel4\n1,0,255,3,4\n"))).contains(2);
        assertThat(ImageLayout.side(parser.parse("label,pixel1,pixel2,pixel3\n1,0,255,3\n"))).isEmpty();
        assertThat(ImageLayout.side(parser.parse("y,pixel1,pixel2,pixel3,pixel4\n1,0,255,3,4\n"))).isEmpty();
        assertThatThrownBy(() -> parser.parse("label,pixel1,pixel2,pixel3,pixel4\n1,0,255,3\n"))
                .isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void theGeneratedShapesAreSeededAndBalanced() {
        ImageSet a = ShapeImages.generate(42, 120, 30);
        ImageSet b = ShapeImages.generate(42, 120, 30);
        assertThat(a.pixels()).isEqualTo(b.pixels());
        assertThat(ShapeImages.generate(43, 120, 30).pixels()).isNotEqualTo(a.pixels());
        assertThat(java.util.Arrays.stream(a.labels()).filter(l -> l == 5).count()).isEqualTo(25);
        Table table = a.table(60);
        assertThat(table.rowCount()).isEqualTo(60 + 30);
        assertThat(table.columns()).hasSize(785);
        assertThat(ImageLayout.side(table)).contains(28);
    }

    @Test
    void anImageSetsProblemAndSummaryAreWhatItsTableGivesWithoutCopyingItsPixels() {
        ImageSet images = ShapeImages.generate(3, 90, 30);
        Table table = images.table(40);
        Problem viaTable = ProblemBuilder.build(table, ImageLayout.pixelColumns(ShapeImages.SIDE),
                List.of(ImageLayout.LABEL), true, ShapeImages.CLASSES).asImages(ShapeImages.SIDE, images.testCount());
        Problem direct = images.problem(40, ShapeImages.CLASSES);

        assertThat(direct.rows()).isEqualTo(70);
        assertThat(direct.testRows()).isEqualTo(30);
        assertThat(direct.inputShape()).isEqualTo(viaTable.inputShape());
        assertThat(direct.inputNames()).isEqualTo(viaTable.inputNames());
        assertThat(direct.classes()).isEqualTo(viaTable.classes());
        assertThat(direct.x()).isDeepEqualTo(viaTable.x());
        assertThat(direct.y()).isDeepEqualTo(viaTable.y());
        assertThat(images.summary(40)).isEqualTo(TableSummary.of(table));
        // every session on the set reads the same rows
        assertThat(images.problem(0, ShapeImages.CLASSES).x()[5]).isSameAs(direct.x()[5]);
        assertThatThrownBy(() -> images.problem(40, 4)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("network.layers");
    }

    @Test
    void downloadsVerifiesAndKeepsOnlyFilesWithTheRightDigest() throws Exception {
        Path published = FashionSample.writeIdx(dir.resolve("mirror"), 800);
        Map<String, String> sha = FashionSample.digests(published);
        try (LocalMirror mirror = new LocalMirror(published, 1 << 20, 0)) {
            String base = mirror.url();
            Path cache = dir.resolve("data/fashion-mnist");
            ImageSets images = new ImageSets(cache, true, base, sha);
            assertThat(images.fashionStatus().state()).isEqualTo(ImageSets.State.MISSING);
            assertThatThrownBy(() -> images.require(FashionMnist.ID)).isInstanceOfSatisfying(
                    InvalidSpecException.class, e -> assertThat(e.messageKey()).isEqualTo("error.fashionMnistMissing"));

            images.startDownload();
            Eventually.waitFor("the download", java.time.Duration.ofSeconds(30),
                    () -> images.fashionStatus().state() != ImageSets.State.DOWNLOADING);
            assertThat(images.fashionStatus()).isEqualTo(new ImageSets.Status(ImageSets.State.AVAILABLE, null));
            assertThat(images.require(FashionMnist.ID).trainCount()).isEqualTo(800);
            assertThat(mirror.requests()).isEqualTo(4);
            try (var files = Files.list(cache)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(
                        FashionMnist.FILES);
            }

            // a mirror serving something else: refused, and nothing is left under the real names
            Map<String, String> wrong = new HashMap<>(sha);
            wrong.put(FashionMnist.TEST_IMAGES, "0".repeat(64));
            Path other = dir.resolve("other");
            ImageSets tampered = new ImageSets(other, true, base, wrong);
            tampered.startDownload();
            Eventually.waitFor("the failed download", java.time.Duration.ofSeconds(30),
                    () -> tampered.fashionStatus().state() != ImageSets.State.DOWNLOADING);
            assertThat(tampered.fashionStatus().state()).isEqualTo(ImageSets.State.FAILED);
            assertThat(tampered.fashionStatus().failure()).contains(FashionMnist.TEST_IMAGES, "SHA-256");
            assertThat(Files.exists(other.resolve(FashionMnist.TEST_IMAGES))).isFalse();
            assertThat(Files.exists(other.resolve(FashionMnist.TEST_IMAGES + ".part"))).isFalse();

            List<String> completed = new java.util.ArrayList<>();
            new FashionMnistDownload(base, sha).into(dir.resolve("direct"), (file, bytes, size) -> {
                if (bytes == size) {
                    completed.add(file + " " + size);
                }
            });
            List<String> expected = new java.util.ArrayList<>();
            for (String name : FashionMnist.FILES) {
                expected.add(name + " " + Files.size(published.resolve(name)));
            }
            assertThat(completed).as("each file's progress reaches its announced size").isEqualTo(expected);
        }
    }

    @Test
    void anUnreachableMirrorIsAFailureThatSaysWhere() throws Exception {
        ImageSets images = new ImageSets(dir.resolve("cache"), true, "http://127.0.0.1:9/nowhere/",
                FashionMnist.OFFICIAL_SHA256);
        images.startDownload();
        Eventually.waitFor("the failed download", java.time.Duration.ofSeconds(30),
                () -> images.fashionStatus().state() != ImageSets.State.DOWNLOADING);
        assertThat(images.fashionStatus().state()).isEqualTo(ImageSets.State.FAILED);
        assertThat(images.fashionStatus().failure()).contains("127.0.0.1:9");
    }

    @Test
    void aLocalCopyIsNeverDownloadedOver() {
        ImageSets local = new ImageSets(dir, false, "http://127.0.0.1:9/", FashionMnist.OFFICIAL_SHA256);
        assertThat(local.startDownload().state()).isEqualTo(ImageSets.State.MISSING);
        assertThat(local.canDownload()).isFalse();
        assertThat(List.of(FashionMnist.OFFICIAL_SHA256.keySet().toArray())).containsExactlyElementsOf(
                FashionMnist.FILES);
    }
}
