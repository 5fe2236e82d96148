package io.lanspread.bridge.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

    @Test
    void readsEveryKindOfValue() {
        Object value = JsonReader.parse(" {\"s\": \"a\\\"b\\\\c\\/\\n\\u00e9\\ud83c\\udfae\", \"n\": -1.5e2, \"i\": 0,"
                + " \"t\": true, \"f\": false, \"z\": null, \"l\": [1, [], {}]}\r\n");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "a\"b\\c/\n\u00e9\ud83c\udfae");
        expected.put("n", -150.0);
        expected.put("i", 0.0);
        expected.put("t", true);
        expected.put("f", false);
        expected.put("z", null);
        expected.put("l", List.of(1.0, List.of(), Map.of()));
        assertThat(value).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "{", "{\"a\"}", "{\"a\":}", "{a:1}", "[1,]", "[1 2]", "\"open", "\"tab\there\"",
            "\"\\x\"", "\"\\u12\"", "01x", "-", "1.", "1e", "tru", "nul", "{} {}", "{\"a\":1,}" })
    void refusesMalformedText(String text) {
        assertThatThrownBy(() -> JsonReader.parse(text)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(400)).hasMessageContaining("not valid JSON");
    }

    @Test
    void boundsTheNesting() {
        char[] open = new char[10_000];
        Arrays.fill(open, '[');

        assertThatThrownBy(() -> JsonReader.parse(new String(open))).hasMessageContaining("nested deeper than");
    }
}
