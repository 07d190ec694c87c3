import { describe, expect, it } from "vitest";
import { UNKNOWN, type RuleResource } from "../../../policies/framework/rule";
import { selectorMatches } from "../../../common/label-selector";
import { kubernetesNetworkPolicyMissingDefaultDeny } from "../../../policies/rules/kubernetes/networking/networkpolicy-missing-default-deny";
import { kubernetesValidatingWebhookMissingImageAdmission } from "../../../policies/rules/kubernetes/admissionregistration/validatingwebhookconfiguration-missing-image-admission";
import { kubernetesNamespaceEnforcePodSecurityRestricted } from "../../../policies/rules/kubernetes/core/namespace-enforce-pod-security-restricted";
import { expectOne, res, runStack, withField } from "../support";
import { defaultDeny, k8sStack, modelNamespace, NETPOL, NS, VWC } from "./k8s-fixtures";

/** The compliant stack with one field of the resources of `type` changed. */
const edit = (type: string, path: string, value: unknown): RuleResource[] =>
    k8sStack().map((r) => (r.type === type ? { ...r, props: withField(r.props, path, value) } : r));
const nsUrn = modelNamespace().urn;

describe("kubernetes-core-namespace-enforce-pod-security-restricted", () => {
    const rule = kubernetesNamespaceEnforcePodSecurityRestricted;
    const setLevel = (v: unknown) => k8sStack().map((r) => (r.type === NS ? { ...r, props: { metadata: { name: "models", labels: { ...(r.props as any).metadata.labels, "pod-security.kubernetes.io/enforce": v } } } } : r));
    it("passes a restricted model namespace", () => expect(runStack(rule, k8sStack())).toEqual([]));
    it.each([
        [undefined, 'has no pod-security.kubernetes.io/enforce label'],
        ["baseline", 'has "baseline" as its pod-security.kubernetes.io/enforce label'],
        ["privileged", 'has "privileged" as its'],
    ])("enforce = %s", (v, msg) => {
        const stack = setLevel(v).map((r) => (r.type === NS && v === undefined ? { ...r, props: { metadata: { name: "models", labels: { "aiguard.io/model-serving": "true" } } } } : r));
        expectOne(runStack(rule, stack), [msg, 'model namespace "models"'], nsUrn);
    });
    it("ignores namespaces without the model label", () => {
        expect(runStack(rule, [res(NS, "tools", { metadata: { name: "tools", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } })])).toEqual([]);
    });
    it("unknown labels or level → no finding", () => {
        expect(runStack(rule, setLevel(UNKNOWN))).toEqual([]);
        expect(runStack(rule, edit(NS, "metadata.labels", UNKNOWN))).toEqual([]);
    });
});

describe("kubernetes-networking-networkpolicy-missing-default-deny", () => {
    const rule = kubernetesNetworkPolicyMissingDefaultDeny;
    it("passes with one policy denying both directions, or two policies denying one each", () => {
        expect(runStack(rule, k8sStack())).toEqual([]);
        const ing = res(NETPOL, "deny-in", { metadata: { namespace: "models" }, spec: { podSelector: {} } });
        const eg = res(NETPOL, "deny-out", { metadata: { namespace: "models" }, spec: { podSelector: { matchLabels: {} }, policyTypes: ["Egress"] } });
        expect(runStack(rule, [modelNamespace(), ing, eg])).toEqual([]);
    });
    it.each<[string, RuleResource[], string]>([
        ["no policy", k8sStack().filter((r) => r.type !== NETPOL), "for Ingress and Egress"],
        ["policy in another namespace", edit(NETPOL, "metadata.namespace", "other"), "for Ingress and Egress"],
        ["policy selecting some pods only", edit(NETPOL, "spec.podSelector", { matchLabels: { app: "server" } }), "for Ingress and Egress"],
        ["ingress only", edit(NETPOL, "spec.policyTypes", ["Ingress"]), "for Egress"],
        ["policyTypes absent means Ingress only", edit(NETPOL, "spec.policyTypes", undefined), "for Egress"],
        ["an allow-all ingress rule", edit(NETPOL, "spec.ingress", [{}]), "for Ingress"],
        ["an egress allow rule", edit(NETPOL, "spec.egress", [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }]), "for Egress"],
    ])("%s", (_n, stack, msg) => expectOne(runStack(rule, stack), [`model namespace "models" has no default-deny NetworkPolicy ${msg}`], nsUrn));
    it("does nothing without model namespaces", () => expect(runStack(rule, [res(NS, "tools", { metadata: { name: "tools" } })])).toEqual([]));
    it("an unknown policy namespace or spec → no finding", () => {
        const broken = k8sStack().filter((r) => r.type !== NETPOL);
        expect(runStack(rule, [...broken, { ...defaultDeny(), props: { metadata: { namespace: UNKNOWN }, spec: {} } }])).toEqual([]);
        expect(runStack(rule, [...broken, { ...defaultDeny(), props: { metadata: { namespace: "models" }, spec: UNKNOWN } }])).toEqual([]);
        expect(runStack(rule, edit(NETPOL, "spec.policyTypes", [UNKNOWN]))).toEqual([]);
        expect(runStack(rule, edit(NS, "metadata.name", UNKNOWN))).toEqual([]);
    });
});

describe("kubernetes-admissionregistration-validatingwebhookconfiguration-missing-image-admission", () => {
    const rule = kubernetesValidatingWebhookMissingImageAdmission;
    const msg = 'model namespace "models" is not covered by any ValidatingWebhookConfiguration';
    it("passes a fail-closed pod webhook selecting the namespace; absent failurePolicy is the v1 default Fail", () => {
        expect(runStack(rule, k8sStack())).toEqual([]);
        expect(runStack(rule, edit(VWC, "webhooks[0].failurePolicy", undefined))).toEqual([]);
        expect(runStack(rule, edit(VWC, "webhooks[0].namespaceSelector", undefined))).toEqual([]);
        expect(runStack(rule, edit(VWC, "webhooks[0].namespaceSelector", { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["models"] }] }))).toEqual([]);
        expect(runStack(rule, edit(VWC, "webhooks[0].rules[0]", { apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"] }))).toEqual([]);
    });
    it.each<[string, RuleResource[]]>([
        ["no webhook configuration", k8sStack().filter((r) => r.type !== VWC)],
        ["failurePolicy Ignore (fails open)", edit(VWC, "webhooks[0].failurePolicy", "Ignore")],
        ["rules do not cover pods", edit(VWC, "webhooks[0].rules[0].resources", ["deployments"])],
        ["rules do not cover CREATE", edit(VWC, "webhooks[0].rules[0].operations", ["UPDATE"])],
        ["rules cover another API group", edit(VWC, "webhooks[0].rules[0].apiGroups", ["apps"])],
        ["cluster-scoped rule only", edit(VWC, "webhooks[0].rules[0].scope", "Cluster")],
        ["namespaceSelector does not select the namespace", edit(VWC, "webhooks[0].namespaceSelector", { matchLabels: { team: "x" } })],
        ["namespaceSelector excludes it", edit(VWC, "webhooks[0].namespaceSelector", { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["models"] }] })],
        ["objectSelector lets workloads opt out", edit(VWC, "webhooks[0].objectSelector", { matchLabels: { "aiguard.io/verify": "true" } })],
    ])("%s", (_n, stack) => expectOne(runStack(rule, stack), [msg], nsUrn));
    it("does nothing without model namespaces", () => expect(runStack(rule, [res(NS, "tools", { metadata: { name: "tools", labels: {} } })])).toEqual([]));
    it("unknown webhooks or webhook fields → no finding", () => {
        expect(runStack(rule, edit(VWC, "webhooks", UNKNOWN))).toEqual([]);
        expect(runStack(rule, edit(VWC, "webhooks[0].failurePolicy", UNKNOWN))).toEqual([]);
        expect(runStack(rule, edit(VWC, "webhooks[0].namespaceSelector.matchLabels", UNKNOWN))).toEqual([]);
    });
});

describe("selectorMatches", () => {
    const labels = { a: "1", b: "2" };
    it.each<[unknown, boolean | typeof UNKNOWN]>([
        [undefined, true],
        [{}, true],
        [{ matchLabels: { a: "1" } }, true],
        [{ matchLabels: { a: "2" } }, false],
        [{ matchExpressions: [{ key: "a", operator: "In", values: ["1", "3"] }] }, true],
        [{ matchExpressions: [{ key: "c", operator: "NotIn", values: ["1"] }] }, true],
        [{ matchExpressions: [{ key: "b", operator: "Exists" }] }, true],
        [{ matchExpressions: [{ key: "b", operator: "DoesNotExist" }] }, false],
        [{ matchExpressions: [{ key: "b", operator: "Bogus" }] }, false],
        [{ matchLabels: { a: UNKNOWN } }, UNKNOWN],
    ])("%j → %s", (selector, expected) => expect(selectorMatches(selector, labels)).toBe(expected));
});
