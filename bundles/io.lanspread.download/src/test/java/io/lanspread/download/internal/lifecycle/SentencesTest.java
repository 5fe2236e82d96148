package io.lanspread.download.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

class SentencesTest {

    @Test
    void aFullDiskIsSaidSoWhereverTheCauseSaysIt() {
        IOException fromTheStore = new IOException("the disk is full: could not write data/a.bin (12 bytes free on that disk)",
                new FileSystemException("/games/.lanspread-tmp/a", null, "No space left on device"));
        assertThat(Sentences.diskFailure(new CompletionException(fromTheStore), "writing data/a.bin"))
                .isEqualTo("The disk is full: writing data/a.bin failed.");
        assertThat(Sentences.diskFailure(new IOException("could not write x",
                new FileSystemException("/g/x", null, "No space left on device")), "writing x"))
                .startsWith("The disk is full");
    }

    @Test
    void otherDiskFailuresAreSentencesWithoutExceptionTexts() {
        String sentence = Sentences.diskFailure(new IOException("java.io.IOException: Input/output error"), "installing the game");
        assertThat(sentence).isEqualTo("The games folder could not be written: installing the game failed.")
                .doesNotContain("Exception");
    }
}
