package io.lanspread.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.lanspread.api.event.HubEvent;

class ReplayBufferTest {

    private static HubEvent event(long sequence) {
        return new HubEvent.Reported("b-" + sequence, sequence, Instant.EPOCH, Events.lost((int) sequence));
    }

    @Test
    void keepsTheNewestEventsInOrder() {
        ReplayBuffer buffer = new ReplayBuffer(4);
        assertThat(buffer.firstSequence()).isEqualTo(1);
        assertThat(buffer.from(1, 10)).isEmpty();

        for (long s = 1; s <= 10; s++) {
            buffer.add(event(s));
        }

        assertThat(buffer.firstSequence()).isEqualTo(7);
        assertThat(buffer.from(1, 10)).extracting(HubEvent::sequence).containsExactly(7L, 8L, 9L, 10L);
        assertThat(buffer.from(9, 10)).extracting(HubEvent::sequence).containsExactly(9L, 10L);
        assertThat(buffer.from(8, 2)).extracting(HubEvent::sequence).containsExactly(8L, 9L);
        assertThat(buffer.from(11, 10)).isEmpty();
    }

    @Test
    void resizingKeepsTheNewestEventsAndGoesOn() {
        ReplayBuffer buffer = new ReplayBuffer(4);
        for (long s = 1; s <= 6; s++) {
            buffer.add(event(s));
        }

        buffer.resize(2);
        assertThat(buffer.firstSequence()).isEqualTo(5);
        assertThat(buffer.from(1, 10)).extracting(HubEvent::sequence).containsExactly(5L, 6L);

        buffer.resize(5);
        buffer.add(event(7));
        buffer.add(event(8));
        buffer.add(event(9));
        assertThat(buffer.from(1, 10)).extracting(HubEvent::sequence).containsExactly(5L, 6L, 7L, 8L, 9L);
        buffer.add(event(10));
        assertThat(buffer.from(1, 10)).extracting(HubEvent::sequence).containsExactly(6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void refusesAGapInTheSequence() {
        ReplayBuffer buffer = new ReplayBuffer(4);
        buffer.add(event(1));
        assertThatThrownBy(() -> buffer.add(event(3))).isInstanceOf(IllegalArgumentException.class);
    }
}
