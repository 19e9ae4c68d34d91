package io.synod.node;

import io.aeron.exceptions.ConfigurationException;
import io.synod.Configuration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The cluster key that authenticates peer messages: read from its settings (text, hex if only hex digits, else
 * base64; or a file holding such text), or made by {@link #generate()} for a launcher that starts every member and so
 * can hand each the same key.
 */
public final class ClusterKey
{
    /** Fewest key bytes accepted: 128 bits. */
    static final int MIN_LENGTH = 16;

    private ClusterKey()
    {
    }

    /**
     * @param text the key as text, or null.
     * @param file a file holding the key as text, or null.
     * @return the key's bytes, or null if neither is set.
     * @throws ConfigurationException naming the setting if both are set, the file cannot be read, or the key is
     *                                malformed or shorter than {@link #MIN_LENGTH} bytes.
     */
    /**
     * @return a new random key of 32 bytes, as hex text: what {@code openssl rand -hex 32} makes.
     */
    public static String generate()
    {
        final byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        final StringBuilder hex = new StringBuilder(2 * key.length);
        for (final byte b : key)
        {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    static byte[] read(final String text, final String file)
    {
        if (text != null && file != null)
        {
            throw new ConfigurationException("set one of clusterKey (" + Configuration.CLUSTER_KEY_PROP +
                ") and clusterKeyFile (" + Configuration.CLUSTER_KEY_FILE_PROP + "), not both");
        }
        if (text != null)
        {
            return parse(text, "clusterKey (" + Configuration.CLUSTER_KEY_PROP + ")");
        }
        if (file != null)
        {
            final String setting = "clusterKeyFile (" + Configuration.CLUSTER_KEY_FILE_PROP + ") " + file;
            try
            {
                return parse(new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.US_ASCII), setting);
            }
            catch (final IOException ex)
            {
                throw new ConfigurationException(setting + " cannot be read: " + ex);
            }
        }
        return null;
    }

    private static byte[] hex(final String key)
    {
        final byte[] bytes = new byte[key.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(key.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private static byte[] base64(final String key, final String setting)
    {
        try
        {
            return Base64.getDecoder().decode(key);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigurationException(setting + " is neither hex nor base64 (the key itself not shown)");
        }
    }

    static byte[] parse(final String text, final String setting)
    {
        final String key = text.trim();
        final byte[] bytes = key.matches("([0-9a-fA-F]{2})+") ? hex(key) : base64(key, setting);
        if (bytes.length < MIN_LENGTH)
        {
            throw new ConfigurationException(setting + " holds " + bytes.length + " bytes, fewer than " + MIN_LENGTH +
                ": use e.g. `openssl rand -hex 32`");
        }
        return bytes;
    }
}
