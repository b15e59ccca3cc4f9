package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import sinapsis.model.DataSpec;
import sinapsis.model.SessionSpec;

/** A new session's default name: its data set and when it was made, as each language writes a short date and time. */
class SessionNamesTest {
    @Test
    void theDefaultNameIsTheDataSetsAndTheLanguagesShortDateAndTime() {
        long madeAt = 1_796_000_000_000L;
        SessionSpec spec = new SessionSpec(new DataSpec(null, "celsius", java.util.List.of(), java.util.List.of()),
                sinapsis.model.NetworkSpec.of(sinapsis.model.LayerSpec.dense(1, sinapsis.model.Activation.LINEAR)),
                sinapsis.model.TrainingSpec.defaults());
        for (Locale locale : java.util.List.of(Locale.forLanguageTag("es"), Locale.ENGLISH)) {
            String expected = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(locale)
                    .withZone(ZoneId.systemDefault()).format(Instant.ofEpochMilli(madeAt));
            String name = SessionNames.byDefault(locale, spec, madeAt);
            assertThat(name).endsWith(" · " + expected).startsWith(Messages.get(locale, "dataset.celsius.name"));
            assertThat(SessionNames.byDefault(locale, spec, madeAt)).as("the same the second time").isEqualTo(name);
        }
    }
}
