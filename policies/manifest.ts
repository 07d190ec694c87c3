/**
 * Writes the rule manifest (`common/rule-manifest.ts`) for the built pack: run by the pack build
 * after `tsc`, as `node bin/policies/manifest.js <out-dir>`, so tools can read what each rule
 * judges without loading the pack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RULE_MANIFEST_FILE, type RuleManifest } from "../common/rule-manifest";
import { RULES } from "./catalogue";
import { typeToken } from "./framework/rule";

export function ruleManifest(): RuleManifest {
    return {
        version: 1,
        rules: RULES.map((r) => ({
            name: r.name,
            kind: r.kind,
            clauses: [...r.clauses],
            judges: r.kind === "resource"
                ? { types: [...r.resourceTypes] }
                : "provider" in r.judges ? { provider: r.judges.provider } : { types: r.judges.map(typeToken) },
            onUnknown: r.onUnknown,
            description: r.description,
            severity: r.severity,
            enforcementLevel: r.enforcementLevel,
            remediationSteps: r.remediationSteps,
            url: r.url,
            settings: [...(r.settings ?? [])],
        })),
    };
}

if (require.main === module) {
    const out = process.argv[2] ?? path.join(__dirname, "..");
    fs.writeFileSync(path.join(out, RULE_MANIFEST_FILE), `${JSON.stringify(ruleManifest(), null, 2)}\n`);
}
