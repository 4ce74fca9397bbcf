/**
 * Keeps secrets out of what is printed: client secrets, configured and issued tokens, and
 * passwords in URLs, in whatever encoding they travelled.
 */

/**
 * Replaces every occurrence of the given secrets in `text` with `[redacted]`: as written,
 * URL-encoded and form-encoded (a secret travels in a token request's form body and in query
 * strings), and the password of any `scheme://user:password@host` in the text.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
    const variants = new Set<string>();
    for (const secret of secrets) {
        if (!secret || secret.length < 4) continue;
        variants.add(secret);
        variants.add(encodeURIComponent(secret));
        variants.add(new URLSearchParams({ s: secret }).toString().slice(2));
    }
    // Longest first, so a shorter variant never leaves the tail of a longer one behind.
    const withoutSecrets = [...variants]
        .sort((a, b) => b.length - a.length)
        .reduce<string>((out, variant) => out.split(variant).join("[redacted]"), text);
    return withoutSecrets.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi, "$1:[redacted]@");
}
