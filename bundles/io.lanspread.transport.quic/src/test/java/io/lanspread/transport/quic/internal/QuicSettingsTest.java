package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;

class QuicSettingsTest {

    @Test
    void congestionControlByNameWithCubicForAnythingElse() {
        assertThat(QuicSettings.congestionControl("bbr")).isEqualTo(QuicCongestionControlAlgorithm.BBR);
        assertThat(QuicSettings.congestionControl(" Reno ")).isEqualTo(QuicCongestionControlAlgorithm.RENO);
        assertThat(QuicSettings.congestionControl("cubic")).isEqualTo(QuicCongestionControlAlgorithm.CUBIC);
        assertThat(QuicSettings.congestionControl("vegas")).isEqualTo(QuicCongestionControlAlgorithm.CUBIC);
        assertThat(QuicSettings.congestionControl(null)).isEqualTo(QuicCongestionControlAlgorithm.CUBIC);
    }
}
