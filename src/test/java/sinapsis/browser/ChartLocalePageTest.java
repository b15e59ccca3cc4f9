package sinapsis.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.RunningServer;

/** The chart's tick labels use the page's number format: decimal commas on a Spanish page, points on an English one. */
class ChartLocalePageTest extends OneBrowserTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    protected RunningServer server() {
        return server;
    }

    @SuppressWarnings("unchecked")
    private List<String> accuracyTicks() {
        waiting(30).until(d -> Boolean.TRUE.equals(driver.executeScript("""
                const chart = Chart.getChart(document.getElementById('loss-chart'));
                return !!chart && chart.scales.y1 && chart.scales.y1.ticks.length > 2;""")));
        return (List<String>) driver.executeScript("""
                return Chart.getChart(document.getElementById('loss-chart')).scales.y1.ticks
                    .filter(t => !Number.isInteger(t.value)).map(t => String(t.label));""");
    }

    @Test
    void ticksUseTheLanguagesDecimalSeparator() {
        String id = server.post("/api/sessions", "{\"data\": {\"dataset\": \"spirals\"}, \"training\": "
                + "{\"epochs\": 20}}").json().get("id").asText();
        server.ended("/api/sessions/" + id);
        open("es", "/s/" + id);
        List<String> spanish = accuracyTicks();
        assertThat(spanish).as("fractional accuracy ticks").isNotEmpty()
                .allSatisfy(label -> assertThat(label).matches("\\d,\\d+"));
        driver.quit();
        open("en", "/s/" + id);
        assertThat(accuracyTicks()).isNotEmpty().allSatisfy(label -> assertThat(label).matches("\\d\\.\\d+"));
    }
}
