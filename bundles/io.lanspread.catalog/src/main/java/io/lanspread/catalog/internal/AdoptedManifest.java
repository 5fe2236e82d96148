package io.lanspread.catalog.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import io.lanspread.api.game.FileManifest;
import io.lanspread.api.game.GameManifest;

/**
 * Turns a manifest someone else verified (a download that checked every chunk it installed) into cache
 * entries for the files as they are on disk now, so the hasher finds them cached instead of reading the
 * whole game again. A file that is missing, not regular, or of another size is left out and hashed as usual.
 */
final class AdoptedManifest {

    private AdoptedManifest() {
    }

    /** @param folder where the game's files are now */
    static ManifestFile.Content entries(Path folder, GameManifest verified) {
        List<HashedEntry> entries = new ArrayList<>(verified.files().size());
        for (FileManifest file : verified.files()) {
            if (file.directory()) {
                entries.add(new HashedEntry(TreeEntry.directory(file.path()), file));
                continue;
            }
            try {
                BasicFileAttributes attrs = Files.readAttributes(folder.resolve(file.path()),
                        BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isRegularFile() && attrs.size() == file.size()) {
                    entries.add(new HashedEntry(TreeEntry.file(file.path(), attrs), file));
                }
            } catch (IOException e) {
                // not there (yet): hashed when it is
            }
        }
        return new ManifestFile.Content(verified.gameId(), false, entries);
    }
}
