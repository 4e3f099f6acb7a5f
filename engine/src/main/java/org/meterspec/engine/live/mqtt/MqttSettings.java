package org.meterspec.engine.live.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Where and how {@link MqttPublisher} publishes: the broker ({@code tcp://HOST:PORT}, or
 * {@code ssl://HOST:PORT} for TLS with the JVM's default trust store), the user and password
 * (both optional; the password is never printed, not even by {@link #toString()}), the topic
 * prefix, and how many readings are queued while the broker is away.
 */
public record MqttSettings(String url, String user, String password, String prefix, int queue) {
    public static final int DEFAULT_QUEUE = 1000;

    public MqttSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(prefix, "prefix");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--mqtt " + safe(url) + " is not a URL like tcp://HOST:1883");
        }
        if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--mqtt must start with tcp:// or ssl:// (TLS), not " + safe(url));
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || (uri.getPath() != null && !uri.getPath().isEmpty()
                && !uri.getPath().equals("/")) || uri.getQuery() != null) {
            throw new IllegalArgumentException("--mqtt takes tcp://HOST:PORT or ssl://HOST:PORT (the user and password "
                    + "go in --mqtt-user and --mqtt-password), not " + safe(url));
        }
        if (prefix.isEmpty() || prefix.contains("+") || prefix.contains("#") || prefix.startsWith("/")
                || prefix.endsWith("/") || prefix.contains("//") || prefix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("--topic must be a topic like meterspec/meter: no +, #, empty levels "
                    + "or leading and trailing /");
        }
        if (queue < 1 || queue > 1_000_000) {
            throw new IllegalArgumentException("--mqtt-queue must be 1 to 1000000 readings");
        }
        if (password != null && user == null) {
            throw new IllegalArgumentException("an MQTT password needs --mqtt-user");
        }
    }

    /** The default prefix for a meter: {@code meterspec/<meter>}. */
    public static String defaultPrefix(String meter) {
        return "meterspec/" + Topics.level(meter);
    }

    /** The URL as messages show it: no user information, should a URL carry some. */
    static String safe(String url) {
        return url.replaceAll("//[^/@]*@", "//");
    }

    @Override
    public String toString() {
        return "MqttSettings[url=" + safe(url) + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", prefix=" + prefix + ", queue=" + queue + "]";
    }
}
