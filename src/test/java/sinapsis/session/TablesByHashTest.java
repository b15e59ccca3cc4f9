package sinapsis.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TablesByHashTest {
    @Test
    void keepsTheMostRecentlyUsedWithinItsCountAndItsBytes() {
        TablesByHash<String> tables = new TablesByHash<>(2, 100);
        tables.put("a", "table a", 30);
        tables.put("b", "table b", 30);
        assertThat(tables.get("a")).isEqualTo("table a"); // used: b is now the eldest
        tables.put("c", "table c", 30);
        assertThat(tables.get("b")).as("over the count: the least recently used goes").isNull();
        assertThat(tables.get("a")).isEqualTo("table a");
        assertThat(tables.get("c")).isEqualTo("table c");

        tables.put("d", "table d", 80);
        assertThat(tables.size()).as("over the bytes: as many go as it takes").isEqualTo(1);
        assertThat(tables.get("d")).isEqualTo("table d");
        assertThat(tables.bytes()).isEqualTo(80);
    }

    @Test
    void aTableOverTheBoundAloneIsNotKeptAndTakesNothingOut() {
        TablesByHash<String> tables = new TablesByHash<>(4, 100);
        tables.put("a", "table a", 60);
        tables.put("huge", "huge table", 101);
        assertThat(tables.get("huge")).isNull();
        assertThat(tables.get("a")).isEqualTo("table a");
        tables.put("a", "table a", 60); // the same hash again: counted once
        assertThat(tables.bytes()).isEqualTo(60);
    }
}
