/** ECR images must be scanned for vulnerabilities: on push, or continuously by enhanced scanning. */
import * as aws from "@pulumi/aws";
import { UNKNOWN, type Finding, type Maybe, type RuleResource, stackRule } from "../../../framework/rule";
import { asList, byType, containsUnknown, get } from "../../../framework/values";
import { knownString } from "../../../framework/values";
import { REGISTRY_SCANNING_TYPE, REPOSITORY_TYPE } from "./types";

/** ECR repository filters are wildcard patterns where `*` matches any run of characters. */
function wildcardMatches(filter: string, name: string): boolean {
    const re = new RegExp(`^${filter.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    return re.test(name);
}

/**
 * Whether the registry scanning configuration scans the repository: a rule with a WILDCARD filter
 * matching the name and frequency SCAN_ON_PUSH (BASIC or ENHANCED) or CONTINUOUS_SCAN (ENHANCED).
 */
export function registryScanCovers(cfg: RuleResource, repositoryName: string): Maybe<boolean> {
    const scanType = cfg.props.scanType;
    const rules = asList(cfg.props.rules);
    if (scanType === UNKNOWN || rules === UNKNOWN || containsUnknown(rules)) return UNKNOWN;
    const frequencies = scanType === "ENHANCED" ? ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"] : ["SCAN_ON_PUSH"];
    return rules.some((rule) => {
        if (!frequencies.includes(get(rule, "scanFrequency") as string)) return false;
        const filters = asList(get(rule, "repositoryFilters"));
        return filters !== UNKNOWN && filters.some((f) => get(f, "filterType") === "WILDCARD" && typeof get(f, "filter") === "string" && wildcardMatches(get(f, "filter") as string, repositoryName));
    });
}

export const ecrRepositoryEnableScanOnPush = stackRule({
    judges: [aws.ecr.Repository],
    name: "aws-ecr-repository-enable-scan-on-push",
    description:
        "Every ECR repository must have its images scanned for vulnerabilities: either the repository sets `imageScanningConfiguration.scanOnPush: true`, or a registry scanning configuration in the stack has a rule whose wildcard filter matches the repository with SCAN_ON_PUSH (or, with `ENHANCED` scanning, CONTINUOUS_SCAN). When enhanced scanning is on, AWS ignores the repository-level setting, so the registry rule must cover the repository.",
    clauses: ["DV-1", "OM-3", "P7", "P11"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Set `imageScanningConfiguration: { scanOnPush: true }` on the repository, or (better, continuous) declare `new aws.ecr.RegistryScanningConfiguration("scan", { scanType: "ENHANCED", rules: [{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] }] })`.',
    url: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
    onUnknown:
        "Reports nothing for a repository whose name or scanOnPush value is unknown at preview, or when the registry scanning configuration is unknown; checked again at update.",
    check(resources: readonly RuleResource[]): Finding[] {
        const index = byType(resources);
        const registryConfigs = index.get(REGISTRY_SCANNING_TYPE) ?? [];
        const findings: Finding[] = [];
        for (const repo of index.get(REPOSITORY_TYPE) ?? []) {
            const name = knownString(repo.props.name);
            if (typeof name !== "string") continue;
            const enhanced = registryConfigs.map((c) => registryScanCovers(c, name));
            if (enhanced.includes(true) || enhanced.includes(UNKNOWN)) continue;
            const enhancedActive = registryConfigs.some((c) => c.props.scanType === "ENHANCED");
            const onPush = get(repo.props, "imageScanningConfiguration", "scanOnPush");
            if (onPush === UNKNOWN) continue;
            if (enhancedActive) {
                findings.push({ urn: repo.urn, message: `repository "${name}" is not matched by any rule of the ENHANCED registry scanning configuration (with enhanced scanning, the repository's scanOnPush is ignored)` });
            } else if (onPush !== true) {
                findings.push({ urn: repo.urn, message: `repository "${name}" has imageScanningConfiguration.scanOnPush ${onPush === false ? "false" : "unset"} and no registry scanning rule covers it` });
            }
        }
        return findings;
    },
});
