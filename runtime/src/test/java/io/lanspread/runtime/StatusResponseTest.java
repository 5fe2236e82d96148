package io.lanspread.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusResponseTest {

    @Test
    void readsTheFieldsOfTheStatusDocument() {
        String json = """
                {"peerId":"3f9a0c","name":"Bob \\"the\\" \\u00e9","quicPort":42420,
                 "httpPort":42421,"gamesDir":"C:\\\\games"}""";

        assertThat(StatusResponse.parse(json)).contains(
                new StatusResponse("3f9a0c", "Bob \"the\" \u00e9", 42420, "C:\\games"));
    }

    @Test
    void fieldOrderAndWhitespaceDoNotMatter() {
        String json = "{ \"quicPort\" : 5 , \"gamesDir\" : \"/g\" , \"peerId\" : \"p\" }";

        assertThat(StatusResponse.parse(json)).contains(new StatusResponse("p", "", 5, "/g"));
    }

    @Test
    void aDocumentWithoutPeerIdOrPortIsNotReady() {
        assertThat(StatusResponse.parse("{\"quicPort\":1}")).isEmpty();
        assertThat(StatusResponse.parse("{\"peerId\":\"\",\"quicPort\":1}")).isEmpty();
        assertThat(StatusResponse.parse("{\"peerId\":\"p\"}")).isEmpty();
        assertThat(StatusResponse.parse("<html>not found</html>")).isEmpty();
    }
}
