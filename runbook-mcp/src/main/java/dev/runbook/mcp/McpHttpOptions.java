package dev.runbook.mcp;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link McpHttpServer} serves: its port and how clients authenticate. By default every request needs
 * {@code Authorization: Bearer <token>} with a token generated at start and written to a file only the user can
 * read ({@link #DEFAULT_TOKEN_DIRECTORY}{@code /mcp-http-<port>.token}, POSIX permissions 600); give a token of your
 * own with {@link #token(String)}, another file with {@link #tokenFile(Path)}, or turn authentication off explicitly
 * with {@link #withoutAuthentication()}.
 *
 * @param port           the loopback port (0: any free port)
 * @param token          the token clients must present; empty: generate one at start
 * @param tokenFile      where a generated token is written; empty: the default file
 * @param authentication whether requests need the token
 */
public record McpHttpOptions(int port, Optional<String> token, Optional<Path> tokenFile, boolean authentication) {
    /** The least length of a token given by the host (a generated one has 43 characters). */
    public static final int MIN_TOKEN_LENGTH = 32;
    /** The folder of generated token files: {@code ~/.runbook}. */
    public static final Path DEFAULT_TOKEN_DIRECTORY = Path.of(System.getProperty("user.home"), ".runbook");

    public McpHttpOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
        }
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenFile, "tokenFile");
        token.ifPresent(McpHttpOptions::checkToken);
    }

    /** Authentication on, with a token generated at start into the default file. */
    public static McpHttpOptions port(int port) {
        return new McpHttpOptions(port, Optional.empty(), Optional.empty(), true);
    }

    /** The same, with clients authenticating with this token (at least 32 characters, no spaces). */
    public McpHttpOptions token(String token) {
        return new McpHttpOptions(port, Optional.of(Objects.requireNonNull(token, "token")), tokenFile, true);
    }

    /** The same, writing a generated token to this file instead of the default one. */
    public McpHttpOptions tokenFile(Path file) {
        return new McpHttpOptions(port, token, Optional.of(Objects.requireNonNull(file, "file")), authentication);
    }

    /**
     * The same, with no authentication: any local process can call every tool, the mutating ones included. Only for a
     * host that authenticates in front of the server itself.
     */
    public McpHttpOptions withoutAuthentication() {
        return new McpHttpOptions(port, Optional.empty(), Optional.empty(), false);
    }

    /** The options without the token itself, so that logging them does not leak it. */
    @Override
    public String toString() {
        return "McpHttpOptions[port=" + port + ", token=" + (token.isPresent() ? "(given)" : "(generated)")
                + ", tokenFile=" + tokenFile.map(Path::toString).orElse("(default)") + ", authentication="
                + authentication + "]";
    }

    private static void checkToken(String t) {
        if (t.length() < MIN_TOKEN_LENGTH || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("an MCP HTTP token must be at least " + MIN_TOKEN_LENGTH
                    + " printable ASCII characters without spaces, got " + t.length() + " characters; "
                    + "leave it out to have one generated");
        }
    }
}
