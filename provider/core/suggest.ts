/**
 * "Did you mean …?": the closest known flag, command or connection name to what was typed, for
 * the command line and the provider's "connection does not exist". Pure.
 */

/**
 * The candidate closest to `typed` by edit distance (a case-only difference counts as closest),
 * or `undefined` when none is near enough to be a plausible typo.
 */
export function closest(typed: string, candidates: Iterable<string>): string | undefined {
    const lower = typed.toLowerCase();
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        if (candidate === typed) continue;
        const distance = candidate.toLowerCase() === lower ? 0.5 : editDistance(lower, candidate.toLowerCase());
        if (!best || distance < best.distance) best = { candidate, distance };
    }
    // A third of the word may be wrong (at least one edit): "--jsno" → "--json", not "--out" → "--force".
    const allowed = Math.max(1, Math.floor(typed.length / 3));
    return best && best.distance <= allowed ? best.candidate : undefined;
}

/** ` Did you mean X?` (with a leading space), or "" when nothing is close. */
export function didYouMean(typed: string, candidates: Iterable<string>, quote = false): string {
    const found = closest(typed, candidates);
    if (found === undefined) return "";
    return ` Did you mean ${quote ? JSON.stringify(found) : found}?`;
}

// Levenshtein distance with adjacent transpositions counted as one edit.
function editDistance(a: string, b: string): number {
    const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) rows[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
            }
        }
    }
    return rows[a.length][b.length];
}
