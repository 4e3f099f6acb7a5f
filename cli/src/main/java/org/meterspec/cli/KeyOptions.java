package org.meterspec.cli;

import org.meterspec.engine.DecoderKeys;
import picocli.CommandLine.Option;

/** The key options of the commands that decrypt: each a hex key, or @FILE holding one. */
final class KeyOptions {
    @Option(names = "--key", paramLabel = "HEX|@FILE", description = "AES-128 encryption (global unicast) key.")
    String key;

    @Option(names = "--auth-key", paramLabel = "HEX|@FILE",
            description = "Authentication key; the GCM tag is verified when it is given.")
    String authKey;

    @Option(names = "--broadcast-key", paramLabel = "HEX|@FILE", description = "Global broadcast key.")
    String broadcastKey;

    /** The keys given (or from the environment, see {@link Secrets}); IllegalArgumentException names a bad one. */
    DecoderKeys keys() {
        return Secrets.keys(key, authKey, broadcastKey);
    }
}
