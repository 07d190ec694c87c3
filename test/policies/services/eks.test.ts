import { describe, expect, it } from "vitest";
import { UNKNOWN, type Rule } from "../../../policies/framework/rule";
import { eksClusterEnableAuditLogging } from "../../../policies/rules/aws/eks/cluster-enable-audit-logging";
import { eksClusterDisallowPublicEndpoint } from "../../../policies/rules/aws/eks/cluster-disallow-public-endpoint";
import { eksClusterMissingSecretsEncryption } from "../../../policies/rules/aws/eks/cluster-missing-secrets-encryption";
import { eksClusterEnforceSupportedVersion } from "../../../policies/rules/aws/eks/cluster-enforce-supported-version";
import { CLUSTER_TYPE } from "../../../policies/rules/aws/eks/types";
import { cluster } from "./fixtures-aws";
import { expectOne, runResource, withField } from "../support";
const cases: [Rule, string, unknown, string][] = [
    [eksClusterDisallowPublicEndpoint, "vpcConfig.endpointPublicAccess", undefined, "not set (the default is true) and publicAccessCidrs is empty"],
    [eksClusterDisallowPublicEndpoint, "vpcConfig.endpointPublicAccess", true, "endpointPublicAccess is true and publicAccessCidrs is empty, which allows 0.0.0.0/0"],
    [eksClusterMissingSecretsEncryption, "encryptionConfig", undefined, "encryptionConfig is not set"],
    [eksClusterMissingSecretsEncryption, "encryptionConfig.resources", [], 'does not contain "secrets"'],
    [eksClusterMissingSecretsEncryption, "encryptionConfig.provider.keyArn", "", "keyArn is not set"],
    [eksClusterEnableAuditLogging, "enabledClusterLogTypes", undefined, "missing api, audit, authenticator"],
    [eksClusterEnableAuditLogging, "enabledClusterLogTypes", ["api", "authenticator"], "missing audit"],
    [eksClusterEnforceSupportedVersion, "version", "1.29", "older than the minimum supported 1.32"],
    [eksClusterEnforceSupportedVersion, "version", "latest", "is not a Kubernetes version"],
];

describe("EKS cluster rules", () => {
    it.each([...new Set(cases.map((c) => c[0]))].map((r) => [r.name, r] as const))("%s passes a compliant cluster", (_n, rule) => {
        expect(runResource(rule, CLUSTER_TYPE, cluster())).toEqual([]);
    });
    it.each(cases.map(([r, p, v, m]) => [r.name, p, JSON.stringify(v) ?? "undefined", r, v, m] as const))("%s: %s = %s", (_n, path, _s, rule, value, msg) => {
        expectOne(runResource(rule, CLUSTER_TYPE, withField(cluster(), path, value)), [msg]);
    });
    it.each(cases.map(([r, p]) => [r.name, p, r] as const))("%s: %s unknown → no finding", (_n, path, rule) => {
        expect(runResource(rule, CLUSTER_TYPE, withField(cluster(), path, UNKNOWN))).toEqual([]);
    });
});

describe("aws-eks-cluster-disallow-public-endpoint: public CIDRs", () => {
    const pub = (cidrs: unknown) => withField(withField(cluster(), "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", cidrs);
    const run = (props: Record<string, unknown>) => runResource(eksClusterDisallowPublicEndpoint, CLUSTER_TYPE, props);
    it("accepts a public endpoint limited to named networks", () => expect(run(pub(["203.0.113.0/24"]))).toEqual([]));
    it.each([[["0.0.0.0/0"], "contains 0.0.0.0/0"], [["203.0.113.0/24", "::/0"], "contains ::/0"]])("rejects %j", (cidrs, msg) => expectOne(run(pub(cidrs)), [msg]));
    it("skips an unknown CIDR entry", () => expect(run(pub(["203.0.113.0/24", UNKNOWN]))).toEqual([]));
});

describe("aws-eks-cluster-enforce-supported-version", () => {
    const run = (v: unknown) => runResource(eksClusterEnforceSupportedVersion, CLUSTER_TYPE, withField(cluster(), "version", v));
    it.each(["1.32", "1.40", "2.0", "1.32.5"])("accepts %s", (v) => expect(run(v)).toEqual([]));
    it("accepts an omitted version (EKS picks its current default)", () => expect(run(undefined)).toEqual([]));
    it("follows the minimumEksVersion setting", () => {
        const props = withField(cluster(), "version", "1.33");
        expectOne(runResource(eksClusterEnforceSupportedVersion, CLUSTER_TYPE, props, { minimumEksVersion: "1.34" }), ["version 1.33 is older than the minimum supported 1.34"]);
        expect(runResource(eksClusterEnforceSupportedVersion, CLUSTER_TYPE, props, { minimumEksVersion: "1.33" })).toEqual([]);
    });
    it.each(["1.31", "1.9", "0.99"])("rejects %s", (v) => expectOne(run(v), [`version ${v} is older`]));
});
