package io.lanspread.bridge.http.felix.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class ErrorTextsTest {

    @Test
    void jettysReasonsBecomeSentences() {
        assertThat(ErrorTexts.forRefusal(400, "Ambiguous URI path separator")).contains("ambiguous");
        assertThat(ErrorTexts.forRefusal(400, "No Host")).isEqualTo("the request has no Host header, which HTTP/1.1 requires");
        assertThat(ErrorTexts.forRefusal(400, "Invalid Content-Length Value")).contains("not a valid length");
        assertThat(ErrorTexts.forRefusal(400, "Bad Transfer-Encoding, chunked not last")).contains("only chunked");
        assertThat(ErrorTexts.forRefusal(414, "URI Too Long")).contains("too long");
        assertThat(ErrorTexts.forRefusal(431, "Request Header Fields Too Large")).contains("headers are too large");
    }

    @ParameterizedTest
    @ValueSource(strings = { "java.lang.IllegalStateException: secret detail", "<script>", "" })
    void anUnknownReasonIsNeverShownOnlyTheStatusSentence(String reason) {
        assertThat(ErrorTexts.forRefusal(500, reason)).isEqualTo("the server failed to answer this request");
        assertThat(ErrorTexts.forRefusal(400, reason)).isEqualTo(ErrorTexts.forStatus(400));
        assertThat(ErrorTexts.forRefusal(499, null)).isEqualTo("the request failed (HTTP status 499)");
    }

    @Test
    void theBodyIsJsonWithTheSentenceIntact() throws Exception {
        String odd = "quote\" back\\slash\nnew\u0001 \u2028 caf\u00e9 \ud83c\udfae lone \ud800 end";

        byte[] body = JsonError.body(odd);

        assertThat(new ObjectMapper().readTree(body).get("error").asText()).isEqualTo(odd);
        assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("\u2028", "\n");
    }
}
