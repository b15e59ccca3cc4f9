package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every text the code, the templates and the scripts ask for exists in both languages. */
class MessagesTest {
    @Test
    void bothBundlesHaveTheSameKeys() {
        assertThat(Messages.all(Messages.SPANISH).keySet()).isEqualTo(Messages.all(Messages.ENGLISH).keySet());
    }

    @Test
    void everyKeyUsedExists() throws IOException {
        Set<String> used = new TreeSet<>();
        collect(Path.of("src/main/java"), Pattern.compile("\"((?:error|status)\\.[A-Za-z]+)\""), used);
        collect(Path.of("web/templates"), Pattern.compile("#\\{([a-zA-Z0-9.]+)"), used);
        collect(Path.of("web/static/js"), Pattern.compile("\\bt\\('([a-zA-Z0-9.]+)'"), used);
        assertThat(used).hasSizeGreaterThan(60);
        Set<String> known = Messages.all(Messages.ENGLISH).keySet();
        assertThat(used).allSatisfy(key -> assertThat(known).as("message key").contains(key));
    }

    @Test
    void argumentsAreFilledInAndApostrophesSurvive() {
        assertThat(Messages.get(Messages.ENGLISH, "error.limit", 5, 3)).isEqualTo("5 is over this server's limit of 3.");
        assertThat(Messages.get(Messages.SPANISH, "error.raggedRow", 3, 1, 2))
                .isEqualTo("La línea 3 tiene 1 celdas, pero el encabezado tiene 2.");
    }

    @Test
    void theBrowserLanguagePicksSpanishOrEnglish() {
        assertThat(Languages.fromAcceptLanguage("es-AR,es;q=0.9,en;q=0.8")).isEqualTo(Messages.SPANISH);
        assertThat(Languages.fromAcceptLanguage("fr-FR,fr;q=0.9,es;q=0.8,en;q=0.5")).isEqualTo(Messages.SPANISH);
        assertThat(Languages.fromAcceptLanguage("de-DE")).isEqualTo(Messages.ENGLISH);
        assertThat(Languages.fromAcceptLanguage(null)).isEqualTo(Messages.ENGLISH);
        assertThat(Languages.fromAcceptLanguage(";;;garbage")).isEqualTo(Messages.ENGLISH);
    }

    private static void collect(Path root, Pattern pattern, Set<String> into) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher matcher = pattern.matcher(Files.readString(file));
                while (matcher.find()) {
                    into.add(matcher.group(1));
                }
            }
        }
    }
}
