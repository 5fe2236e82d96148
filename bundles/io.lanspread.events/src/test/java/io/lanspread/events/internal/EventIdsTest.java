package io.lanspread.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void readsBackItsOwnIdsOnly() {
        EventIds ids = new EventIds("k3x9");

        assertThat(ids.id(42)).isEqualTo("k3x9-42");
        assertThat(ids.sequenceOf("k3x9-42")).hasValue(42);
        assertThat(ids.sequenceOf(" k3x9-0 ")).hasValue(0);
        assertThat(ids.sequenceOf("other-42")).isEmpty();
        assertThat(ids.sequenceOf("k3x9-")).isEmpty();
        assertThat(ids.sequenceOf("k3x9--1")).isEmpty();
        assertThat(ids.sequenceOf("k3x9-4x")).isEmpty();
        assertThat(ids.sequenceOf("k3x9-99999999999999999999")).isEmpty();
        assertThat(ids.sequenceOf("42")).isEmpty();
        assertThat(ids.sequenceOf(null)).isEmpty();
    }

    @Test
    void everyStartHasAnotherBootId() {
        EventIds first = EventIds.random();
        EventIds second = EventIds.random();

        assertThat(first.bootId()).isNotEqualTo(second.bootId()).doesNotContain("-");
        assertThat(second.sequenceOf(first.id(1))).isEmpty();
    }
}
