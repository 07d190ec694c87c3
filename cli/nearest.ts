/** "Did you mean": the known name nearest to a misspelt one, for error messages. */

/** Levenshtein distance. */
export function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0]!;
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const tmp = row[j]!;
            row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = tmp;
        }
    }
    return row[b.length]!;
}

/** The known name nearest to `name`, when it is close enough to be a likely typo. */
export function nearestName(name: string, known: Iterable<string>): string | undefined {
    const best = [...known].sort((x, y) => distance(name, x) - distance(name, y))[0];
    return best !== undefined && distance(name, best) <= Math.max(3, name.length / 3) ? best : undefined;
}

/** ` (did you mean "x"?)`, or "" when nothing is close. */
export function didYouMean(name: string, known: Iterable<string>): string {
    const best = nearestName(name, known);
    return best !== undefined ? ` (did you mean "${best}"?)` : "";
}
